from django.urls import path

from reviews.views import (
    area_chairs,
    assignment,
    bidding,
    chair_reviews,
    conflicts,
    dashboard,
    delegation,
    delegation_chair,
    downloads,
    emergency,
    overview,
    pool,
    publications,
    ratings,
    responses,
    review_settings,
    reviewing,
)

app_name = "reviews"
urlpatterns = [
    # Reviewers
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("profile/", pool.ProfileView.as_view(), name="profile"),
    path(
        "profile/publications/",
        publications.PublicationsView.as_view(),
        name="publications",
    ),
    path("bidding/", bidding.BiddingView.as_view(), name="bidding"),
    path("bidding/<str:key>/", bidding.BidView.as_view(), name="bid"),
    path("invitation/<str:token>/", pool.InvitationView.as_view(), name="invitation"),
    # Chairs
    path("chair/", dashboard.ChairOverviewView.as_view(), name="chair"),
    path(
        "chair/invitations/",
        pool.InvitationListView.as_view(),
        name="invitations",
    ),
    path("chair/conflicts/", conflicts.ConflictListView.as_view(), name="conflicts"),
    path(
        "chair/assignments/",
        assignment.AssignmentListView.as_view(),
        name="assignments",
    ),
    path("chair/assignment-runs/", assignment.RunListView.as_view(), name="runs"),
    path(
        "chair/assignment-runs/<int:pk>/",
        assignment.RunDetailView.as_view(),
        name="run",
    ),
    path(
        "chair/affinity/",
        assignment.AffinityUploadView.as_view(),
        name="affinity-upload",
    ),
    path(
        "chair/settings/",
        review_settings.ReviewSettingsView.as_view(),
        name="settings",
    ),
    # The reviewing side: assignment pages, reviews, discussion.
    # Reviewers: one page per assignment, keyed by the submission number.
    path("<int:number>/", reviewing.AssignmentView.as_view(), name="submission"),
    path(
        "<int:number>/review/",
        reviewing.AssignmentView.as_view(http_method_names=["post"]),
        name="review",
    ),
    path("<int:number>/paper/", downloads.ReviewerCopyView.as_view(), name="paper"),
    path(
        "<int:number>/supplementary/",
        downloads.SupplementaryView.as_view(),
        name="supplementary",
    ),
    path(
        "<int:number>/discussion/",
        reviewing.DiscussionPostView.as_view(),
        name="discussion",
    ),
    # Delegation (reviews.delegation): the reviewer, the delegate, the chairs.
    path(
        "<int:number>/delegation/",
        delegation.DelegationView.as_view(),
        name="delegation",
    ),
    path(
        "delegation/<str:token>/",
        delegation.DelegationAnswerView.as_view(),
        name="delegation-answer",
    ),
    path(
        "delegated/<int:number>/",
        delegation.DelegatedReviewView.as_view(),
        name="delegated",
    ),
    path(
        "delegated/<int:number>/paper/",
        delegation.DelegatedCopyView.as_view(),
        name="delegated-paper",
    ),
    path(
        "delegated/<int:number>/supplementary/",
        delegation.DelegatedSupplementaryView.as_view(),
        name="delegated-supplementary",
    ),
    path(
        "chair/delegations/",
        delegation_chair.ChairDelegationListView.as_view(),
        name="chair-delegations",
    ),
    # Emergency reviewers (reviews.emergency).
    path(
        "chair/emergency/",
        emergency.EmergencyListView.as_view(),
        name="chair-emergency",
    ),
    path(
        "chair/emergency/<int:number>/",
        emergency.EmergencySubmissionView.as_view(),
        name="chair-emergency-submission",
    ),
    path(
        "emergency/<str:token>/",
        emergency.EmergencyAnswerView.as_view(),
        name="emergency-answer",
    ),
    # Chairs
    path(
        "chair/reviews/",
        chair_reviews.ChairReviewListView.as_view(),
        name="chair-reviews",
    ),
    path(
        "chair/reviews/<int:number>/",
        chair_reviews.ChairSubmissionView.as_view(),
        name="chair-submission",
    ),
    path(
        "chair/review-form/",
        review_settings.ReviewFormEditView.as_view(),
        name="review-form",
    ),
    # Area chairs (reviews.area_chairs)
    path(
        "chair/area-chairs/",
        area_chairs.ChairAreaChairsView.as_view(),
        name="area-chairs",
    ),
    path(
        "area-chair/",
        area_chairs.AreaChairDashboardView.as_view(),
        name="area-chair-dashboard",
    ),
    path(
        "area-chair/<int:number>/",
        area_chairs.AreaChairSubmissionView.as_view(),
        name="area-chair-submission",
    ),
    path(
        "area-chair/<int:number>/paper/",
        area_chairs.AreaChairCopyView.as_view(),
        name="area-chair-paper",
    ),
    path(
        "area-chair/invitation/<str:token>/",
        area_chairs.AreaChairInvitationView.as_view(),
        name="area-chair-invitation",
    ),
]

# Issue 16: author response, review quality, ease of reviewing.
urlpatterns += [
    path(
        "response/<int:number>/",
        responses.AuthorResponseView.as_view(),
        name="response",
    ),
    path(
        "chair/response-window/",
        responses.ResponseWindowView.as_view(),
        name="chair-response-window",
    ),
    path(
        "chair/reviews/<int:number>/rate/",
        ratings.RateReviewView.as_view(),
        name="chair-rate",
    ),
    path(
        "chair/outstanding-reviewers/",
        ratings.OutstandingChairView.as_view(),
        name="chair-outstanding",
    ),
    path(
        "outstanding-reviewers/",
        ratings.OutstandingPublicView.as_view(),
        name="outstanding",
    ),
    path(
        "profile/listing/",
        ratings.ListingConsentView.as_view(),
        name="listing-consent",
    ),
    path("<int:number>/autosave/", overview.AutosaveView.as_view(), name="autosave"),
    path(
        "markdown-preview/",
        overview.MarkdownPreviewView.as_view(),
        name="markdown-preview",
    ),
]

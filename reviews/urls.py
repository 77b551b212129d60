from django.urls import path

from reviews.views import (
    assignment,
    bidding,
    chair_reviews,
    conflicts,
    dashboard,
    downloads,
    pool,
    publications,
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
]

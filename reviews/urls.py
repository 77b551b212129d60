from django.urls import include, path

from reviews import views

app_name = "reviews"
urlpatterns = [
    # Reviewers
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("bidding/", views.BiddingView.as_view(), name="bidding"),
    path("bidding/<str:key>/", views.BidView.as_view(), name="bid"),
    path("invitation/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    # Chairs
    path("chair/", views.ChairOverviewView.as_view(), name="chair"),
    path(
        "chair/invitations/",
        views.InvitationListView.as_view(),
        name="invitations",
    ),
    path("chair/conflicts/", views.ConflictListView.as_view(), name="conflicts"),
    path(
        "chair/assignments/",
        views.AssignmentListView.as_view(),
        name="assignments",
    ),
    path("chair/assignment-runs/", views.RunListView.as_view(), name="runs"),
    path("chair/assignment-runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("chair/affinity/", views.AffinityUploadView.as_view(), name="affinity-upload"),
    path("chair/settings/", views.ReviewSettingsView.as_view(), name="settings"),
    # The reviewing side (reviews.reviewing): assignment pages, reviews, discussion.
    path("", include("reviews.reviewing.urls")),
]

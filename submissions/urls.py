from django.urls import path

from submissions import views

app_name = "submissions"
urlpatterns = [
    path("", views.MySubmissionsView.as_view(), name="list"),
    path("new/", views.SubmissionFormView.as_view(), name="new"),
    path("<int:number>/", views.SubmissionDetailView.as_view(), name="detail"),
    path("<int:number>/edit/", views.SubmissionFormView.as_view(), name="edit"),
    path(
        "<int:number>/submit/",
        views.SubmissionActionView.as_view(action="submit"),
        name="submit",
    ),
    path(
        "<int:number>/withdraw/",
        views.SubmissionActionView.as_view(action="withdraw"),
        name="withdraw",
    ),
    path(
        "<int:number>/restore/",
        views.SubmissionActionView.as_view(action="restore"),
        name="restore",
    ),
    path("<int:number>/paper/", views.PaperDownloadView.as_view(), name="paper"),
    path(
        "<int:number>/versions/<int:version>/",
        views.PaperDownloadView.as_view(),
        name="version",
    ),
    path(
        "<int:number>/reviewer-copy/",
        views.ReviewerCopyDownloadView.as_view(),
        name="reviewer-copy",
    ),
    path(
        "<int:number>/supplementary/",
        views.SupplementaryDownloadView.as_view(),
        name="supplementary",
    ),
    path(
        "<int:number>/supplementary/reviewer-copy/",
        views.SupplementaryReviewerCopyDownloadView.as_view(),
        name="supplementary-reviewer-copy",
    ),
    path("chair/", views.ChairSubmissionListView.as_view(), name="chair-list"),
    path("chair/settings/", views.ChairSettingsView.as_view(), name="chair-settings"),
    path(
        "chair/<int:number>/",
        views.ChairSubmissionDetailView.as_view(),
        name="chair-detail",
    ),
]

from django.urls import path

from decisions import scheduling_views, views

app_name = "decisions"
urlpatterns = [
    # Chairs
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("bulk/", views.BulkDecideView.as_view(), name="bulk"),
    path("decisions.csv", views.TableCsvView.as_view(), name="export-table"),
    path("release/", views.ReleaseView.as_view(), name="release"),
    path(
        "release/schedule/",
        scheduling_views.ScheduleReleaseView.as_view(),
        name="schedule-release",
    ),
    path(
        "release/cancel/",
        scheduling_views.CancelReleaseView.as_view(),
        name="cancel-release",
    ),
    path("mails/", views.MailTemplatesView.as_view(), name="templates"),
    path(
        "camera-ready/",
        views.CameraReadyProgressView.as_view(),
        name="camera-ready-progress",
    ),
    path("exports/", views.ExportsView.as_view(), name="exports"),
    path(
        "exports/accepted.csv",
        views.ExportView.as_view(kind="accepted.csv"),
        name="export-accepted-csv",
    ),
    path(
        "exports/accepted.json",
        views.ExportView.as_view(kind="accepted.json"),
        name="export-accepted-json",
    ),
    path(
        "exports/proceedings.bib",
        views.ExportView.as_view(kind="bib"),
        name="export-bibtex",
    ),
    path(
        "exports/camera-ready.zip",
        views.ExportView.as_view(kind="zip"),
        name="export-zip",
    ),
    path(
        "exports/programme.csv",
        views.ExportView.as_view(kind="programme.csv"),
        name="export-programme",
    ),
    path("programme/", views.ProgrammeView.as_view(), name="programme"),
    path("<int:number>/", views.ChairSubmissionView.as_view(), name="submission"),
    path(
        "<int:number>/camera-ready-extension/",
        views.CameraReadyExtensionView.as_view(),
        name="camera-ready-extension",
    ),
    # Authors (and chairs)
    path("<int:number>/outcome/", views.AuthorView.as_view(), name="author-view"),
    path(
        "<int:number>/camera-ready/",
        views.CameraReadyView.as_view(),
        name="camera-ready",
    ),
    path(
        "<int:number>/camera-ready/presentation/",
        views.PresentationView.as_view(),
        name="presentation",
    ),
    path(
        "<int:number>/camera-ready/paper.pdf",
        views.CameraReadyFileView.as_view(kind="pdf"),
        name="camera-ready-pdf",
    ),
    path(
        "<int:number>/camera-ready/slides.pdf",
        views.CameraReadyFileView.as_view(kind="slides"),
        name="slides",
    ),
    path(
        "<int:number>/camera-ready/poster.pdf",
        views.CameraReadyFileView.as_view(kind="poster"),
        name="poster",
    ),
]

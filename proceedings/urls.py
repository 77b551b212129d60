"""The camera-ready, presentation and export pages, under /decisions/ in the
"decisions" namespace as before the split (haet/urls.py joins these patterns to
decisions.urls): URL paths and names are unchanged."""

from django.urls import path

from proceedings.views import camera_ready, exports

urlpatterns = [
    # Chairs
    path(
        "camera-ready/",
        camera_ready.CameraReadyProgressView.as_view(),
        name="camera-ready-progress",
    ),
    path("exports/", exports.ExportsView.as_view(), name="exports"),
    path(
        "exports/accepted.csv",
        exports.ExportView.as_view(kind="accepted.csv"),
        name="export-accepted-csv",
    ),
    path(
        "exports/accepted.json",
        exports.ExportView.as_view(kind="accepted.json"),
        name="export-accepted-json",
    ),
    path(
        "exports/proceedings.bib",
        exports.ExportView.as_view(kind="bib"),
        name="export-bibtex",
    ),
    path(
        "exports/camera-ready.zip",
        exports.ExportView.as_view(kind="zip"),
        name="export-zip",
    ),
    path(
        "exports/programme.csv",
        exports.ExportView.as_view(kind="programme.csv"),
        name="export-programme",
    ),
    path("programme/", exports.ProgrammeView.as_view(), name="programme"),
    path(
        "<int:number>/camera-ready-extension/",
        camera_ready.CameraReadyExtensionView.as_view(),
        name="camera-ready-extension",
    ),
    # Authors (and chairs)
    path(
        "<int:number>/camera-ready/",
        camera_ready.CameraReadyView.as_view(),
        name="camera-ready",
    ),
    path(
        "<int:number>/camera-ready/presentation/",
        camera_ready.PresentationView.as_view(),
        name="presentation",
    ),
    path(
        "<int:number>/camera-ready/paper.pdf",
        camera_ready.CameraReadyFileView.as_view(kind="pdf"),
        name="camera-ready-pdf",
    ),
    path(
        "<int:number>/camera-ready/slides.pdf",
        camera_ready.CameraReadyFileView.as_view(kind="slides"),
        name="slides",
    ),
    path(
        "<int:number>/camera-ready/poster.pdf",
        camera_ready.CameraReadyFileView.as_view(kind="poster"),
        name="poster",
    ),
]

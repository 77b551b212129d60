from django.urls import path

from submissions.fields import views as fields
from submissions.views import authors, chairs, downloads, tags

app_name = "submissions"
urlpatterns = [
    path("", authors.MySubmissionsView.as_view(), name="list"),
    path("new/", authors.SubmissionFormView.as_view(), name="new"),
    path("<int:number>/", authors.SubmissionDetailView.as_view(), name="detail"),
    path("<int:number>/edit/", authors.SubmissionFormView.as_view(), name="edit"),
    path(
        "<int:number>/submit/",
        authors.SubmissionActionView.as_view(action="submit"),
        name="submit",
    ),
    path(
        "<int:number>/withdraw/",
        authors.SubmissionActionView.as_view(action="withdraw"),
        name="withdraw",
    ),
    path(
        "<int:number>/restore/",
        authors.SubmissionActionView.as_view(action="restore"),
        name="restore",
    ),
    path("<int:number>/paper/", downloads.SubmissionPdfView.as_view(), name="paper"),
    path(
        "<int:number>/versions/<int:version>/",
        downloads.SubmissionPdfView.as_view(),
        name="version",
    ),
    path(
        "<int:number>/reviewer-copy/",
        downloads.ReviewerCopyDownloadView.as_view(),
        name="reviewer-copy",
    ),
    path(
        "<int:number>/supplementary/",
        downloads.SupplementaryDownloadView.as_view(),
        name="supplementary",
    ),
    path(
        "<int:number>/supplementary/reviewer-copy/",
        downloads.SupplementaryReviewerCopyDownloadView.as_view(),
        name="supplementary-reviewer-copy",
    ),
    path("chair/", chairs.ChairSubmissionListView.as_view(), name="chair-list"),
    path("chair/settings/", chairs.ChairSettingsView.as_view(), name="chair-settings"),
    path("chair/tags/", tags.TagsView.as_view(), name="chair-tags"),
    path("chair/tags/bulk/", tags.BulkTagView.as_view(), name="chair-bulk-tag"),
    path("chair/fields/", fields.FieldListView.as_view(), name="chair-fields"),
    path("chair/fields/new/", fields.FieldEditView.as_view(), name="chair-field-new"),
    path(
        "chair/fields/<int:pk>/",
        fields.FieldEditView.as_view(),
        name="chair-field-edit",
    ),
    path(
        "chair/fields/<int:pk>/archive/",
        fields.FieldActionView.as_view(action="archive"),
        name="chair-field-archive",
    ),
    path(
        "chair/fields/<int:pk>/restore/",
        fields.FieldActionView.as_view(action="restore"),
        name="chair-field-restore",
    ),
    path(
        "chair/fields/<int:pk>/move/",
        fields.FieldActionView.as_view(action="move"),
        name="chair-field-move",
    ),
    path(
        "<int:number>/fields/<int:pk>/file/",
        fields.FieldFileView.as_view(),
        name="field-file",
    ),
    path(
        "chair/<int:number>/",
        chairs.ChairSubmissionDetailView.as_view(),
        name="chair-detail",
    ),
]

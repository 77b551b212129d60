"""Permission-checked file downloads: the paper, its versions, reviewer copies and
supplementary material. Forbidden objects are 404 (`NotFoundOnDeny`).
"""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.views import View

from submissions.views.mixins import SubmissionMixin


def file_response(field: FieldFile, filename: str) -> FileResponse:
    """A private file as a download: never rendered inline, never cached."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is missing.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=_content_type(field)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(field: FieldFile) -> str:
    return "application/zip" if field.name.endswith(".zip") else "application/pdf"


class SubmissionPdfView(SubmissionMixin, View):
    """The original PDF (authors and chairs); `version` picks an older upload."""

    permission_required = "submissions.download_original"
    field = "original"
    suffix = ""

    def get(self, request, number, version=None):
        submission = self.submission
        if version is None:
            chosen = submission.current_version
        else:
            chosen = next(
                (v for v in submission.versions.all() if v.pk == version), None
            )
        if chosen is None or not getattr(chosen, self.field):
            raise Http404
        return file_response(
            getattr(chosen, self.field), f"{submission.file_stem}{self.suffix}.pdf"
        )


class ReviewerCopyDownloadView(SubmissionPdfView):
    """What reviewers receive, so authors and chairs can check it."""

    field = "reviewer_copy"
    suffix = "-reviewer-copy"


class SupplementaryDownloadView(SubmissionMixin, View):
    """The supplementary file as uploaded (authors and chairs)."""

    permission_required = "submissions.download_original"
    field = "file"
    suffix = ""

    def get(self, request, number):
        supplementary = self.submission.supplementary
        if supplementary is None or not getattr(supplementary, self.field):
            raise Http404
        stem = f"{self.submission.file_stem}-supplementary{self.suffix}"
        return file_response(
            getattr(supplementary, self.field), f"{stem}.{supplementary.extension}"
        )


class SupplementaryReviewerCopyDownloadView(SupplementaryDownloadView):
    """What reviewers receive of the supplementary material."""

    field = "reviewer_copy"
    suffix = "-reviewer-copy"

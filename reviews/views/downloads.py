"""The reviewer's downloads: the blind paper and the supplementary material."""

from django.http import Http404
from django.views import View

from haet.views import NotFoundOnDeny
from reviews.views.reviewing import load_submission
from submissions.views.downloads import file_response


# --- downloads -----------------------------------------------------------------------
class ReviewerCopyView(NotFoundOnDeny, View):
    """The reviewer copy (author metadata removed at upload) as HAET2022-12.pdf."""

    permission_required = "reviews.read_submission"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    def get(self, request, number):
        submission = self._submission
        version = submission.current_version
        if version is None or not version.reviewer_copy:
            raise Http404
        return file_response(version.reviewer_copy, f"{submission.file_stem}.pdf")


class SupplementaryView(ReviewerCopyView):
    """The supplementary material's reviewer copy (metadata removed at upload);
    never the file as uploaded."""

    def get(self, request, number):
        submission = self._submission
        supplementary = submission.supplementary
        if supplementary is None or not supplementary.reviewer_copy:
            raise Http404
        return file_response(
            supplementary.reviewer_copy,
            f"{submission.file_stem}-supplementary.{supplementary.extension}",
        )

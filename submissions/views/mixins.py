"""What the author and chair pages share: the submission a URL names, its deadline."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from haet import clock
from haet.deadlines import describe_deadline
from haet.views import NotFoundOnDeny, current_conference
from submissions.deadlines import conference_deadline, window_for
from submissions.models import Submission, SubmissionSettings, SubmissionVersion


def with_deadline(submissions, conference, submission_settings) -> list[Submission]:
    """Attach `window` (closes_at, grace) to each submission: no extra queries when
    its extensions are prefetched."""
    deadline = conference_deadline(conference)
    submissions = list(submissions)
    for submission in submissions:
        submission.conference = conference  # spares a query per row
        closes_at = submission.closes_at(deadline)
        submission.deadline = closes_at
        submission.deadline_text = (
            describe_deadline(closes_at, conference) if closes_at else ""
        )
        submission.window = window_for(
            submission, conference=conference, submission_settings=submission_settings
        )
    return submissions


class SubmissionMixin(NotFoundOnDeny):
    """Looks the submission up by its number, with what the pages read."""

    permission_required = "submissions.view_submission"

    @cached_property
    def submission(self) -> Submission:
        submission = get_object_or_404(
            Submission.objects.for_listing().prefetch_related(
                Prefetch(
                    "versions",
                    queryset=SubmissionVersion.objects.select_related(
                        "uploaded_by"
                    ).order_by("-uploaded_at", "-pk"),
                ),
                "supplementary_files",
                "conflicts",
                "extensions__granted_by",
            ),
            number=self.kwargs["number"],
        )
        submission.conference = current_conference(self.request)
        return submission

    def get_permission_object(self):
        return self.submission

    @cached_property
    def settings(self) -> SubmissionSettings:
        return SubmissionSettings.objects.for_conference(
            current_conference(self.request)
        )

    def deadline_context(self) -> dict:
        conference = current_conference(self.request)
        [submission] = with_deadline([self.submission], conference, self.settings)
        now = clock.now()
        return {
            "submission": submission,
            "now": now,
            "is_open": submission.window.is_open(now),
        }

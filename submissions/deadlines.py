"""When a submission may change: windows, grace, extensions.

The deadline rule: a change is accepted iff the server receives it before the
deadline instant (the submission's extension, if later), or within the chairs'
grace period, in which case it is flagged late to chairs. Anything else raises
`DeadlinePassed` and changes nothing. Services take the moment of receipt as `at`
(the view stamps it when the request arrives); it defaults to `clock.now()`.
An upload counts from when its request started (`counted_at`), so a slow
connection is not punished, within a bounded transfer window.
"""

from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError

from haet import clock
from haet.deadlines import Window, describe_deadline
from haet.models import Conference, ImportantDate, User
from submissions.models import DeadlineExtension, Submission, SubmissionSettings


class DeadlinePassed(ValidationError):
    """Raised by every mutating service after the deadline; nothing was changed."""


def transfer_window() -> timedelta:
    """How long an upload may take to arrive and still count from its start."""
    return timedelta(minutes=django_settings.UPLOAD_TRANSFER_WINDOW_MINUTES)


def counted_at(*, started_at: datetime | None, received_at: datetime) -> datetime:
    """The moment a request counts against the deadline: when it started (the
    author pressed the button in time; the bytes were on their way), unless the
    transfer took longer than the window, in which case it counts as if it had
    started that long before it ended, so nobody can hold a request open past the
    deadline and finish it at leisure."""
    if started_at is None:
        return received_at
    return max(started_at, received_at - transfer_window())


def conference_deadline(conference: Conference) -> datetime | None:
    date = conference.date(ImportantDate.Kind.SUBMISSION_DEADLINE)
    return None if date is None else date.closes_at


def window_for(
    submission: Submission | None,
    *,
    conference: Conference,
    submission_settings: SubmissionSettings | None = None,
) -> Window:
    submission_settings = (
        submission_settings or SubmissionSettings.objects.for_conference(conference)
    )
    deadline = conference_deadline(conference)
    if submission is not None:
        deadline = submission.closes_at(deadline)
    return Window(closes_at=deadline, grace=submission_settings.grace)


def ensure_open(
    submission: Submission | None,
    *,
    conference: Conference,
    at: datetime,
    submission_settings: SubmissionSettings | None = None,
) -> bool:
    """Raise DeadlinePassed unless a change received `at` is accepted; return
    whether it is late (received in the grace period)."""
    window = window_for(
        submission, conference=conference, submission_settings=submission_settings
    )
    if not window.is_open(at):
        assert window.closes_at is not None  # noqa: S101 - is_open says so
        raise DeadlinePassed(
            "The submission deadline has passed: changes were accepted until "
            f"{describe_deadline(window.closes_at, conference)}. Nothing was changed.",
            code="deadline_passed",
        )
    return window.is_late(at)


def grant_extension(
    submission: Submission, *, until: datetime, reason: str = "", by: User
) -> DeadlineExtension:
    """Let one submission change until `until` (exclusive). Logged: who, when."""
    return DeadlineExtension.objects.create(
        submission=submission,
        until=until,
        reason=reason.strip(),
        granted_by=by,
        granted_at=clock.now(),
    )

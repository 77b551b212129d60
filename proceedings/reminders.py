"""Reminding authors of a missing camera-ready: the chairs' button
(`remind_missing_camera_ready`) and the automatic reminder, registered with
haet.outbox.reminders."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.db import transaction

from decisions.models import ACCEPTED
from decisions.notification import recipients_of
from haet import clock
from haet.deadlines import describe_deadline
from haet.models import Conference, ImportantDate, User
from haet.outbox.reminders import Address, Recipient, Reminder, register_reminder
from haet.outbox.services import queue_mail
from proceedings.camera_ready import camera_ready_window
from reviews.conflicts import conflicted_submission_ids
from submissions.models import Submission


def missing_camera_ready(conference: Conference) -> list[Submission]:
    """Released acceptances without a complete camera-ready, with their authors
    and extensions prefetched."""
    return list(
        Submission.objects.filter(
            conference=conference,
            state=Submission.State.SUBMITTED,
            decision__outcome__in=ACCEPTED,
            decision__released_at__isnull=False,
        )
        .exclude(camera_ready__submitted_at__isnull=False)
        .select_related("contact")
        .prefetch_related("authors__user", "camera_ready_extensions")
        .order_by("number")
    )


@transaction.atomic
def remind_missing_camera_ready(
    conference: Conference,
    *,
    by: User,
    progress: Callable[[int, str], None] | None = None,
) -> int:
    """The chairs' button: one reminder per author of each acceptance still missing
    its camera-ready, at most once a day per author (dedupe key with the date).
    Submissions the chair is conflicted with are left to another chair.
    `progress(percent, message)` is told every 50 submissions (proceedings.jobs)."""
    today = clock.now().date().isoformat()
    sent = 0
    hidden = conflicted_submission_ids(by)
    missing = missing_camera_ready(conference)
    for index, submission in enumerate(missing):
        if progress is not None and index % 50 == 0:
            progress(
                5 + 90 * index // len(missing),
                f"Reminding the authors of {index + 1}-"
                f"{min(index + 50, len(missing))} of {len(missing)} submissions",
            )
        if submission.pk in hidden:
            continue
        submission.conference = conference
        window = camera_ready_window(submission, conference=conference)
        deadline_text = (
            describe_deadline(window.closes_at, conference) if window.closes_at else ""
        )
        for recipient in recipients_of(submission):
            queued = queue_mail(
                to=recipient.to,
                template="camera_ready_reminder",
                context={
                    "recipient_name": recipient.name or recipient.email,
                    "submissions": [submission],
                    "deadline_text": deadline_text,
                },
                dedupe_key=f"camera-ready-reminder:{submission.pk}:{recipient.email}:"
                f"{today}",
                submissions=[submission],
            )
            sent += queued is not None
    return sent


CAMERA_READY_REMINDER = Reminder(
    key="camera_ready_missing",
    label="Camera-ready not yet uploaded",
    deadline_kind=ImportantDate.Kind.CAMERA_READY_DEADLINE,
    offsets=(timedelta(days=-7), timedelta(days=-1)),
    max_late=timedelta(hours=12),
    description="To the authors of each accepted submission without a camera-ready "
    "version: 7 days and 1 day before the camera-ready deadline (or the "
    "submission's extension).",
)


class AuthorAddress(Address):
    """An author without an account as a reminder recipient: the registry keys each
    step by `recipient.pk`, and queue_mail accepts a plain address."""

    pk: str
    display_name: str

    def __new__(cls, email: str, name: str) -> "AuthorAddress":
        address = super().__new__(cls, email)
        address.pk = f"author-{email}"
        address.display_name = name or email
        return address


def authors_missing_camera_ready(
    conference: Conference, now: datetime
) -> Iterator[Recipient]:
    """(recipient, {"submissions": [...]}, deadline) per author and deadline."""
    grouped = defaultdict(list)
    people = {}
    for submission in missing_camera_ready(conference):
        submission.conference = conference
        closes_at = camera_ready_window(submission, conference=conference).closes_at
        if closes_at is None:
            continue
        for recipient in recipients_of(submission):
            if recipient.user is not None and not recipient.user.is_active:
                continue
            person = recipient.user or AuthorAddress(recipient.email, recipient.name)
            people[recipient.email] = (person, recipient.name)
            grouped[(recipient.email, closes_at)].append(submission)
    for (email, closes_at), submissions in grouped.items():
        person, name = people[email]
        yield (
            person,
            {"submissions": submissions, "recipient_name": name or email},
            closes_at,
        )


def register() -> None:
    register_reminder(
        CAMERA_READY_REMINDER, authors_missing_camera_ready, "camera_ready_reminder"
    )

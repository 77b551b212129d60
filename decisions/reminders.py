"""The camera-ready reminder, registered with haet.outbox.reminders."""

from collections import defaultdict
from datetime import datetime, timedelta

from haet.models import Conference, ImportantDate
from haet.outbox.reminders import Reminder, register_reminder

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


class AuthorAddress(str):
    """An author without an account as a reminder recipient: the registry keys each
    step by `recipient.pk`, and queue_mail accepts a plain address."""

    pk: str
    display_name: str

    def __new__(cls, email: str, name: str) -> "AuthorAddress":
        address = super().__new__(cls, email)
        address.pk = f"author-{email}"
        address.display_name = name or email
        return address


def authors_missing_camera_ready(conference: Conference, now: datetime):
    """(recipient, {"submissions": [...]}, deadline) per author and deadline."""
    from decisions.services import (
        camera_ready_window,
        missing_camera_ready,
        recipients_of,
    )

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

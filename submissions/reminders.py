"""The deadline reminder for authors with a draft not yet submitted."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

from haet.models import Conference, ImportantDate
from haet.outbox.reminders import Recipient, Reminder, register_reminder
from submissions.deadlines import conference_deadline
from submissions.models import Submission

DRAFT_REMINDER = Reminder(
    key="submission_draft",
    label="Draft not yet submitted",
    deadline_kind=ImportantDate.Kind.SUBMISSION_DEADLINE,
    offsets=(timedelta(days=-7), timedelta(days=-1), timedelta(hours=-3)),
    max_late=timedelta(hours=2),
    description="To the authors of each draft: 7 days, 1 day and 3 hours before "
    "the submission deadline (or the draft's extension).",
)


def draft_authors(conference: Conference, now: datetime) -> Iterator[Recipient]:
    """(user, {"submissions": [...]}, deadline) per author with open drafts; a
    draft with an extension is reminded against its own deadline."""
    deadline = conference_deadline(conference)
    drafts = (
        Submission.objects.filter(conference=conference, state=Submission.State.DRAFT)
        .select_related("contact")
        .prefetch_related("authors__user", "extensions")
        .order_by("number")
    )
    grouped: dict[tuple, list[Submission]] = defaultdict(list)
    people = {}
    for draft in drafts:
        closes_at = draft.closes_at(deadline)
        users = {draft.contact_id: draft.contact}
        users.update({a.user.pk: a.user for a in draft.authors.all() if a.user})
        for user in users.values():
            if not user.is_active:
                continue
            people[user.pk] = user
            grouped[(user.pk, closes_at)].append(draft)
    for (user_pk, closes_at), submissions in grouped.items():
        yield people[user_pk], {"submissions": submissions}, closes_at


def register() -> None:
    register_reminder(DRAFT_REMINDER, draft_authors, "submission_draft_reminder")

"""Reminder sources of the reviews app, registered with haet.outbox.reminders.

- "reviewer_invitation": to invited reviewers who have not answered, 3 and 7 days
  after the invitation was sent.
- "review_not_submitted": to each reviewer with reviews not submitted, 7, 2 and 1
  day before the review deadline, then daily for 3 days once overdue. An assignment
  with its own later due date is reminded against that date.
- "review_overdue_digest": every chair, daily from a day after the review deadline
  while reviews are overdue, lists them with the reviewers' names — leaving out,
  for each chair, the submissions that chair is conflicted with.

A conflicted reviewer is never reminded of that assignment (it cannot proceed).
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.urls import reverse
from django.utils.timesince import timesince

from haet.models import Conference, ImportantDate
from haet.outbox.reminders import (
    Address,
    Recipient,
    Reminder,
    chairs,
    register_reminder,
)
from reviews.conflicts import ConflictIndex
from reviews.models import Assignment, Invitation, Review
from reviews.reviewing import review_closes_at
from submissions.models import Submission

INVITATION_REMINDER = Reminder(
    key="reviewer_invitation",
    label="Reviewer invitation not answered",
    deadline_kind="",  # each invitation is anchored at the time it was sent
    offsets=(timedelta(days=3), timedelta(days=7)),
    description="To invited reviewers who have not accepted or declined: 3 days and "
    "7 days after the invitation was sent.",
    sensitive=True,  # it repeats the invitation link, which grants the reviewer role
)


class Invitee(Address):
    """An invited address as a reminder recipient.

    The reminder registry keys each step by `recipient.pk` and queue_mail accepts
    a plain address; most invitees have no account yet, so the address stands in,
    with a pk of its own ("invitation-<id>") that cannot collide with a user's.
    """

    pk: str
    display_name: str

    def __new__(cls, invitation: Invitation) -> "Invitee":
        invitee = super().__new__(cls, invitation.email)
        invitee.pk = f"invitation-{invitation.pk}"
        invitee.display_name = invitation.name or invitation.email
        return invitee


def unanswered_invitations(
    conference: Conference, now: datetime
) -> Iterator[Recipient]:
    from reviews.pool import invitation_url

    for invitation in Invitation.objects.pending().filter(sent_at__isnull=False):
        yield (
            Invitee(invitation),
            {"invitation": invitation, "url": invitation_url(invitation)},
            invitation.sent_at,
        )


# --- reviews ---------------------------------------------------------------------
DAY = timedelta(days=1)
REVIEW_REMINDER = Reminder(
    key="review_not_submitted",
    label="Reviews not submitted",
    deadline_kind=ImportantDate.Kind.REVIEW_DEADLINE,
    offsets=(-7 * DAY, -2 * DAY, -DAY, DAY, 2 * DAY, 3 * DAY),
    description="To reviewers with reviews not submitted: 7, 2 and 1 day before "
    "the review deadline, then daily for 3 days once overdue.",
)
OVERDUE_DIGEST = Reminder(
    key="review_overdue_digest",
    label="Overdue reviews",
    deadline_kind=ImportantDate.Kind.REVIEW_DEADLINE,
    offsets=(DAY,),
    every=DAY,
    description="To every chair, daily from a day after the review deadline while "
    "reviews are overdue (submissions the chair is conflicted with left out).",
)


def open_assignments(conference: Conference) -> list[Assignment]:
    """Assignments of live submissions whose review is not submitted, by active,
    non-conflicted reviewers; each with `closes_at` (its review deadline)."""
    assignments = list(
        Assignment.objects.filter(
            submission__conference=conference,
            submission__state=Submission.State.SUBMITTED,
            reviewer__is_active=True,
        )
        .exclude(review__state=Review.State.SUBMITTED)
        .select_related("submission", "reviewer", "review")
        .order_by("submission__number", "pseudonym_index")
    )
    if not assignments:
        return []
    index = ConflictIndex.build(
        users={a.reviewer for a in assignments},
        submissions={a.submission for a in assignments},
    )
    live = []
    for assignment in assignments:
        if index.is_conflicted(assignment.reviewer_id, assignment.submission_id):
            continue
        assignment.closes_at = review_closes_at(assignment, conference=conference)
        live.append(assignment)
    return live


def _status(assignment: Assignment) -> str:
    return "draft saved" if hasattr(assignment, "review") else "not started"


def _closed(assignment: Assignment) -> datetime:
    """The deadline of an assignment known to have one (an overdue one)."""
    return cast(datetime, assignment.closes_at)


def _late(closes_at: datetime, now: datetime) -> str:
    return timesince(closes_at, now, depth=1).replace("\xa0", " ")


def reviewers_with_open_reviews(
    conference: Conference, now: datetime
) -> Iterator[Recipient]:
    """(reviewer, {"items": [...]}, deadline) per reviewer and deadline. Items name
    the submission by number and title only."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    people = {}
    for assignment in open_assignments(conference):
        if assignment.closes_at is None:
            continue
        number = assignment.submission.number
        people[assignment.reviewer_id] = assignment.reviewer
        grouped[assignment.reviewer_id, assignment.closes_at].append(
            {
                "title": f"#{number} {assignment.submission.title}",
                "detail": f"{assignment.pseudonym}, {_status(assignment)}",
                "url": settings.SITE_URL + reverse("reviews:submission", args=[number]),
                "submission_id": assignment.submission_id,  # links the mail to it
            }
        )
    for (reviewer_id, closes_at), items in grouped.items():
        yield people[reviewer_id], {"items": items}, closes_at


def overdue_for_chairs(conference: Conference, now: datetime) -> list[Recipient]:
    """(chair, {"items": [...]}) per chair with overdue reviews they may see."""
    overdue = [
        a
        for a in open_assignments(conference)
        if a.closes_at is not None and a.closes_at <= now
    ]
    if not overdue:
        return []
    people = list(chairs())
    index = ConflictIndex.build(
        users=people, submissions={a.submission for a in overdue}
    )
    found: list[Recipient] = []
    for chair in people:
        items = [
            {
                "title": f"#{a.submission.number} {a.submission.title}: "
                f"{a.reviewer.display_name} ({a.pseudonym})",
                "detail": f"{_status(a)}, {_late(_closed(a), now)} late",
                "url": settings.SITE_URL
                + reverse("reviews:chair-submission", args=[a.submission.number]),
                # Links the digest to every submission it names, so it is hidden
                # from any chair conflicted with one of them (haet.outbox).
                "submission_id": a.submission_id,
            }
            for a in overdue
            if not index.is_conflicted(chair.pk, a.submission_id)
        ]
        if items:
            found.append((chair, {"items": items}))
    return found


def register() -> None:
    """Idempotent; call from the reviews AppConfig.ready."""
    register_reminder(
        INVITATION_REMINDER, unanswered_invitations, "reviewer_invitation_reminder"
    )
    register_reminder(REVIEW_REMINDER, reviewers_with_open_reviews, "review_reminder")
    register_reminder(OVERDUE_DIGEST, overdue_for_chairs, "chair_digest")

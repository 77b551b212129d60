"""Reminders of the reviewing side, registered with haet.outbox.reminders, and the
non-essential mail preferences reviewers may turn off.

- "review_not_submitted": to each reviewer with reviews not submitted, 7, 2 and 1
  day before the review deadline, then daily for 3 days once overdue. An assignment
  with its own later due date is reminded against that date.
- "review_overdue_digest": every chair, daily from a day after the review deadline
  while reviews are overdue, lists them with the reviewers' names — leaving out,
  for each chair, the submissions that chair is conflicted with.

A conflicted reviewer is never reminded of that assignment (it cannot proceed).
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.timesince import timesince

from haet.models import Conference, ImportantDate
from haet.outbox.reminders import Reminder, chairs, register_reminder
from haet.outbox.services import register_preference
from reviews.conflicts import ConflictIndex
from reviews.models import Assignment, Review
from reviews.reviewing.services import PREFERENCES, review_closes_at
from submissions.models import Submission

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


def _late(closes_at: datetime, now: datetime) -> str:
    return timesince(closes_at, now, depth=1).replace("\xa0", " ")


def reviewers_with_open_reviews(conference: Conference, now: datetime):
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


def overdue_for_chairs(conference: Conference, now: datetime):
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
    found = []
    for chair in people:
        items = [
            {
                "title": f"#{a.submission.number} {a.submission.title}: "
                f"{a.reviewer.display_name} ({a.pseudonym})",
                "detail": f"{_status(a)}, {_late(a.closes_at, now)} late",
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
    register_reminder(REVIEW_REMINDER, reviewers_with_open_reviews, "review_reminder")
    register_reminder(OVERDUE_DIGEST, overdue_for_chairs, "chair_digest")
    for key, label in PREFERENCES.items():
        register_preference(key, label)

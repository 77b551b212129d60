"""Until when a review may change: the review deadline (or the assignment's own
later due date) for everyone who writes it, and, for the assigned reviewer only,
the date until which they may update a submitted review in the light of the
authors' response (reviews.responses), even past the review deadline.

`reviews.reviewing` re-exports these names: `from reviews.reviewing import
review_closes_at` keeps working."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError

from haet.deadlines import describe_deadline, end_of_minute_or_none, extended
from haet.models import Conference, ImportantDate
from reviews.models import Assignment, AuthorResponse, ResponseWindow
from reviews.responses import response_update_closes_at


class ReviewDeadlinePassed(ValidationError):
    pass


def review_closes_at(
    assignment: Assignment, *, conference: Conference
) -> datetime | None:
    """The first instant too late to change the review: the internal "review" date's
    `closes_at`, or the assignment's own `due_at` (its last open minute) when a chair
    set a later one. None: no review deadline is set (always open)."""
    date = conference.date(ImportantDate.Kind.REVIEW_DEADLINE)
    if date is not None:
        date.conference = conference
    return extended(
        date.closes_at if date else None, end_of_minute_or_none(assignment.due_at)
    )


def ensure_review_open(
    assignment: Assignment, *, conference: Conference, at: datetime
) -> None:
    closes_at = review_closes_at(assignment, conference=conference)
    if closes_at is not None and at >= closes_at:
        raise ReviewDeadlinePassed(
            "The review deadline has passed: reviews could be changed until "
            f"{describe_deadline(closes_at, conference)}. Nothing was changed.",
            code="deadline_passed",
        )


def reviewer_update_until(
    assignment: Assignment, *, conference: Conference
) -> datetime | None:
    """The date until which the assigned reviewer may update their submitted review
    after the authors' response, when it ends after the review deadline (so it
    matters); else None."""
    closes_at = review_closes_at(assignment, conference=conference)
    if closes_at is None:
        return None
    until = response_update_closes_at(assignment, conference=conference)
    return until if until is not None and until > closes_at else None


def ensure_reviewer_may_change(
    assignment: Assignment, *, conference: Conference, at: datetime
) -> None:
    """`ensure_review_open`, except that after the review deadline the assigned
    reviewer may still update a submitted review of a submission that received
    a response, until `reviewer_update_until`. Raises ReviewDeadlinePassed."""
    try:
        ensure_review_open(assignment, conference=conference, at=at)
    except ReviewDeadlinePassed:
        until = reviewer_update_until(assignment, conference=conference)
        if until is None:
            raise
        if at >= until:
            raise ReviewDeadlinePassed(
                "Reviews could be updated after the authors' response until "
                f"{describe_deadline(until, conference)}. Nothing was changed.",
                code="deadline_passed",
            ) from None


def reviewer_update_untils(
    assignments: Iterable[Assignment], *, conference: Conference
) -> dict[int, datetime]:
    """`reviewer_update_until` for many assignments of one reviewer (their `review`
    selected), by assignment pk, only where it applies: two queries in all, for
    the dashboard's rows."""
    window = ResponseWindow.objects.filter(conference=conference).first()
    until = window.updates_close_at if window and window.last_minute else None
    if until is None:
        return {}
    submitted = [
        a
        for a in assignments
        if (review := getattr(a, "review", None)) is not None and review.is_submitted
    ]
    responded = set(
        AuthorResponse.objects.filter(
            submission_id__in=[a.submission_id for a in submitted],
            state=AuthorResponse.State.SUBMITTED,
        ).values_list("submission_id", flat=True)
    )
    found = {}
    for assignment in submitted:
        closes_at = review_closes_at(assignment, conference=conference)
        if assignment.submission_id in responded and closes_at and until > closes_at:
            found[assignment.pk] = until
    return found

"""Writes of assignments by hand: assign and unassign one reviewer; and the mails
of new assignments (one per assignment by hand, one per reviewer for a deployed
proposal: `queue_assignment_digests`).

Mails go through the outbox (queue_mail) in the caller's transaction, each with a
dedupe key, so a double click sends one mail."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import User
from haet.outbox.services import queue_mail
from haet.rules import is_reviewer
from reviews import conflicts
from reviews.conflicts import refuse_if_hidden
from reviews.models import (
    Assignment,
    AssignmentRun,
)
from reviews.reviewing import review_closes_at
from submissions.models import Submission

logger = logging.getLogger(__name__)


# --- assignments ---------------------------------------------------------------------
def _queue_assignment_mail(assignment: Assignment) -> None:
    """Anonymised: the paper number and title, never authors."""
    submission = assignment.submission
    conference = submission.conference
    closes_at = review_closes_at(assignment, conference=conference)
    queue_mail(
        to=assignment.reviewer,
        template="assignment",
        context={
            "number": submission.number,
            "title": submission.title,
            "pseudonym": assignment.pseudonym,
            "deadline_text": describe_deadline(closes_at, conference)
            if closes_at
            else "",
            "url": reverse("reviews:dashboard"),
            "conference": conference,
        },
        dedupe_key=f"assignment:{assignment.pk}",
        submissions=[submission],
    )


def queue_assignment_digests(
    assignments: list[Assignment], *, run: AssignmentRun
) -> int:
    """One mail per reviewer listing all their new assignments of `run` (a deployed
    proposal), instead of one mail per assignment. Anonymised like the single mail:
    numbers, titles, pseudonyms, never authors. Exactly once per reviewer and run
    (`assignment-digest:<run pk>:<reviewer pk>`). Returns the mails queued."""
    by_reviewer: dict[int, list[Assignment]] = {}
    for assignment in sorted(assignments, key=lambda a: a.submission.number):
        by_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
    queued = 0
    for reviewer_assignments in by_reviewer.values():
        reviewer = reviewer_assignments[0].reviewer
        conference = reviewer_assignments[0].submission.conference
        items = []
        for assignment in reviewer_assignments:
            closes_at = review_closes_at(assignment, conference=conference)
            items.append(
                {
                    "number": assignment.submission.number,
                    "title": assignment.submission.title,
                    "pseudonym": assignment.pseudonym,
                    "deadline_text": describe_deadline(closes_at, conference)
                    if closes_at
                    else "",
                }
            )
        mail = queue_mail(
            to=reviewer,
            template="assignment_digest",
            context={
                "items": items,
                "url": reverse("reviews:dashboard"),
                "conference": conference,
            },
            dedupe_key=f"assignment-digest:{run.pk}:{reviewer.pk}",
            submissions=[a.submission for a in reviewer_assignments],
        )
        queued += mail is not None
    return queued


def conflict_refusal(
    submission: Submission, reviewer: User, *, by: User | None = None
) -> str:
    """Why the pair is conflicted, as the chair `by` may read it."""
    hidden = conflicts.conflicted_submission_ids(by)  # set() if by is None
    reasons = [
        r.shown_to(hidden)
        for r in conflicts.conflict_reasons(reviewer, submission)
        if not r.is_waived
    ]
    return "; ".join(f"{r.label}: {r.reason}" for r in reasons)


@transaction.atomic
def assign_reviewer(
    submission: Submission,
    reviewer: User,
    *,
    by: User,
    source: str = Assignment.Source.MANUAL,
    run: AssignmentRun | None = None,
    notify: bool = True,
) -> tuple[Assignment, bool]:
    """Assign one reviewer; (assignment, is_new). Idempotent.
    Raises ValidationError with the reason when the pair is conflicted or the
    person is not a reviewer.
    Side effects: the next pseudonym number; one assignment mail when new."""
    refuse_if_hidden(submission, by=by)
    existing = Assignment.objects.filter(submission=submission, reviewer=reviewer)
    if existing.exists():
        return existing.get(), False
    if not is_reviewer(reviewer):
        raise ValidationError(f"{reviewer} is not a reviewer.")
    if conflicts.is_conflicted(reviewer, submission):
        raise ValidationError(
            f"{reviewer} is conflicted with #{submission.number}: "
            f"{conflict_refusal(submission, reviewer, by=by)}"
        )
    # Lock the submission so two concurrent assignments get different numbers.
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    top = Assignment.objects.filter(submission=submission).aggregate(
        top=Max("pseudonym_index")
    )["top"]
    assignment = Assignment.objects.create(
        submission=submission,
        reviewer=reviewer,
        pseudonym_index=(top or 0) + 1,
        source=source,
        run=run,
        assigned_by=by,
        created_at=clock.now(),
    )
    if notify:
        _queue_assignment_mail(assignment)
    return assignment, True


@transaction.atomic
def unassign_reviewer(assignment: Assignment, *, by: User) -> None:
    """Remove an assignment whose review has not been started.
    Raises ValidationError otherwise (a started review is never thrown away)."""
    refuse_if_hidden(assignment.submission, by=by)
    if Assignment.objects.filter(pk=assignment.pk, review__isnull=False).exists():
        raise ValidationError(
            f"{assignment.pseudonym} of #{assignment.submission.number} has started "
            "a review; it cannot be removed."
        )
    logger.info("unassign %s by %s", assignment, by)
    assignment.delete()

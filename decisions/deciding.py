"""Deciding: `decide` / `decide_many` set an outcome (logged). Before release nothing
is mailed and authors see nothing. A change after release needs
`confirm_correction=True` and mails a correction
(`decision-correction:<submission pk>:<email>:<log id>`), never a second decision.
A bulk decision (`bulk_id`) can be undone as a whole until release
(`undo_bulk_decision`).
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from decisions.models import Decision, DecisionLog, Outcome
from decisions.notification import send_correction
from decisions.queries.bulk import is_still_as_set, last_log_ids
from haet import audit, clock
from haet.models import User
from submissions.models import Submission


def _ensure_can_decide(submission: Submission, by: User) -> None:
    if not by.has_perm("decisions.decide", submission):
        raise PermissionDenied("Only a chair without a conflict can decide this.")
    if submission.state == Submission.State.WITHDRAWN:
        raise ValidationError(
            f"#{submission.number} was withdrawn by its authors.", code="withdrawn"
        )
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError(f"#{submission.number} was never submitted.")


def _clean_reason(outcome: str, reason: str) -> str:
    reason = reason.strip()
    if outcome == Outcome.DESK_REJECT and not reason:
        raise ValidationError("A desk reject needs its reason.", code="reason")
    return reason


class NeedsConfirmation(ValidationError):
    """The decision was released: changing it mails a correction, so confirm."""


def decide(
    submission: Submission,
    outcome: str,
    *,
    reason: str = "",
    by: User,
    confirm_correction: bool = False,
    at: datetime | None = None,
) -> Decision:
    """Set (or change) the decision of one submission. See `decide_many`."""
    [decision] = decide_many(
        [submission],
        outcome,
        reason=reason,
        by=by,
        confirm_correction=confirm_correction,
        at=at,
    )
    return decision


@transaction.atomic
def decide_many(
    submissions: Iterable[Submission],
    outcome: str,
    *,
    reason: str = "",
    by: User,
    confirm_correction: bool = False,
    at: datetime | None = None,
    bulk_id: uuid.UUID | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> list[Decision]:
    """Set one outcome on every submission, or on none (any refusal raises).

    Unchanged decisions are left alone. A released decision changes only with
    `confirm_correction` (else NeedsConfirmation). Side effects: a DecisionLog per
    change (carrying `bulk_id`, so the bulk change can be undone); for a released
    decision, one correction mail per author, after commit. `progress(percent,
    message)` is told every 50 submissions (decisions.jobs).
    """
    at = at or clock.now()
    outcome = Outcome(outcome)
    reason = _clean_reason(outcome, reason)
    if outcome != Outcome.DESK_REJECT:
        reason = ""
    submissions = list(submissions)
    locked = {
        s.pk: s
        for s in Submission.objects.select_for_update()
        .filter(pk__in=[s.pk for s in submissions])
        .prefetch_related("authors")
    }
    existing = {
        d.submission_id: d
        for d in Decision.objects.select_for_update().filter(submission_id__in=locked)
    }
    released = []
    for submission in locked.values():
        submission.decision = existing.get(submission.pk)  # for the predicates
        _ensure_can_decide(submission, by)
        current = existing.get(submission.pk)
        if current is None or (current.outcome, current.reason) == (outcome, reason):
            continue
        if current.released_at is not None:
            released.append(submission.number)
    if released and not confirm_correction:
        numbers = ", ".join(f"#{n}" for n in sorted(released))
        raise NeedsConfirmation(
            f"The decision on {numbers} was already sent to the authors. Changing "
            "it sends them a correction: confirm to go ahead.",
            code="confirm",
        )
    results = []
    ordered = sorted(locked.values(), key=lambda s: s.number)
    for index, submission in enumerate(ordered):
        _tell(progress, index, len(ordered), "Deciding")
        current = existing.get(submission.pk)
        if current is not None and (current.outcome, current.reason) == (
            outcome,
            reason,
        ):
            results.append(current)
            continue
        previous = current.outcome if current else ""
        is_correction = current is not None and current.released_at is not None
        log = DecisionLog.objects.create(
            submission=submission,
            outcome=outcome,
            previous_outcome=previous,
            reason=reason,
            by=by,
            at=at,
            is_correction=is_correction,
            bulk_id=bulk_id,
        )
        if current is None:
            current = Decision(submission=submission)
        current.outcome = outcome
        current.reason = reason
        current.set_by = by
        current.set_at = at
        # A mail edited for the former decision no longer fits (mail_override).
        current.mail_subject = current.mail_body = ""
        current.mail_edited_by = None
        current.full_clean(exclude=["submission"])
        current.save()
        if is_correction:
            send_correction(submission, current, log=log)
        results.append(current)
    return results


def _tell(
    progress: Callable[[int, str], None] | None, index: int, total: int, verb: str
) -> None:
    if progress is not None and index % 50 == 0:
        last = min(index + 50, total)
        progress(5 + 90 * index // total, f"{verb} {index + 1}-{last} of {total}")


@transaction.atomic
def clear_decision(submission: Submission, *, by: User) -> None:
    """Back to undecided; only before release (after it, decide something else)."""
    decision = (
        Decision.objects.select_for_update().filter(submission=submission).first()
    )
    submission.decision = decision
    _ensure_can_decide(submission, by)
    if decision is None:
        return
    if decision.released_at is not None:
        raise ValidationError(
            "This decision was sent to the authors; it can be changed (with a "
            "correction) but not withdrawn."
        )
    DecisionLog.objects.create(
        submission=submission,
        outcome="",
        previous_outcome=decision.outcome,
        by=by,
        at=clock.now(),
    )
    decision.delete()


@dataclass
class UndoResult:
    restored: list[int] = field(default_factory=list)  # submission numbers
    kept: list[int] = field(default_factory=list)  # changed, released or withdrawn


def _reason_before(log: DecisionLog) -> str:
    """The reason the decision had before `log` (a desk reject keeps its reason)."""
    earlier = (
        DecisionLog.objects.filter(submission_id=log.submission_id, pk__lt=log.pk)
        .order_by("-pk")
        .first()
    )
    return earlier.reason if earlier is not None else ""


@transaction.atomic
@audit.action("decision.bulk_undone")
def undo_bulk_decision(
    bulk_id: uuid.UUID,
    *,
    by: User,
    progress: Callable[[int, str], None] | None = None,
) -> UndoResult:
    """Put back what one of `by`'s bulk decisions replaced, on every submission
    whose decision is still the one it set and not released. The others are kept
    as they are now (listed in `kept`). Side effects: a DecisionLog per restored
    submission (without `bulk_id`: an undo is not itself undone). No mail: nothing
    restored was released. `progress` as for `decide_many`.
    """
    logs = list(
        DecisionLog.objects.filter(bulk_id=bulk_id, by=by)
        .select_related("submission")
        .order_by("submission__number")
    )
    if not logs:
        raise ValidationError("There is no such bulk decision of yours to undo.")
    submission_ids = [log.submission_id for log in logs]
    locked = {
        s.pk: s
        for s in Submission.objects.select_for_update().filter(pk__in=submission_ids)
    }
    decisions = {
        d.submission_id: d
        for d in Decision.objects.select_for_update().filter(
            submission_id__in=submission_ids
        )
    }
    latest = last_log_ids(submission_ids)
    result = UndoResult()
    for index, log in enumerate(logs):
        _tell(progress, index, len(logs), "Undoing")
        submission = locked[log.submission_id]
        decision = decisions.get(submission.pk)
        if not is_still_as_set(log, submission, decision, latest.get(submission.pk)):
            result.kept.append(submission.number)
            continue
        if log.previous_outcome:
            decide(
                submission,
                log.previous_outcome,
                reason=_reason_before(log),
                by=by,
            )
        else:
            clear_decision(submission, by=by)
        result.restored.append(submission.number)
    return result

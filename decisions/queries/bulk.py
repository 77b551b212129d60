"""The chair's last bulk decision, as the dashboard offers to undo it."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from decisions.models import DECISION_LABELS, Decision, DecisionLog
from haet.models import Conference, User
from submissions.models import Submission


@dataclass(frozen=True)
class BulkChange:
    bulk_id: uuid.UUID
    outcome_label: str
    at: datetime
    undoable: list[int]  # numbers still as the bulk decision set them, unreleased
    kept: list[int]  # changed, released or withdrawn since: an undo leaves them


def is_still_as_set(
    log: DecisionLog,
    submission: Submission,
    decision: Decision | None,
    latest_log_id: int | None,
) -> bool:
    """Whether an undo of `log` may restore what it replaced: nothing changed the
    decision since, it was not released and the submission was not withdrawn."""
    return (
        latest_log_id == log.pk
        and decision is not None
        and decision.released_at is None
        and submission.state == Submission.State.SUBMITTED
    )


def last_log_ids(submission_ids: Iterable[int]) -> dict[int, int]:
    """Per submission, the pk of its latest decision log entry (one query): a
    token that changes whenever its decision does."""
    return dict(
        DecisionLog.objects.filter(submission_id__in=list(submission_ids))
        .values("submission_id")
        .annotate(last=Max("pk"))
        .order_by()
        .values_list("submission_id", "last")
    )


def last_bulk_change(conference: Conference, *, by: User) -> BulkChange | None:
    """`by`'s latest bulk decision in the conference if any part of it can still
    be undone (three queries), else None: once released, there is no undo."""
    last = (
        DecisionLog.objects.filter(
            by=by, bulk_id__isnull=False, submission__conference=conference
        )
        .order_by("-pk")
        .first()
    )
    if last is None or last.bulk_id is None:  # never None: filtered above
        return None
    logs = list(
        DecisionLog.objects.filter(bulk_id=last.bulk_id, by=by)
        .select_related("submission__decision")
        .order_by("submission__number")
    )
    latest = last_log_ids(log.submission_id for log in logs)
    undoable: list[int] = []
    kept: list[int] = []
    for log in logs:
        submission = log.submission
        decision = getattr(submission, "decision", None)
        still_as_set = is_still_as_set(
            log, submission, decision, latest.get(submission.pk)
        )
        (undoable if still_as_set else kept).append(submission.number)
    if not undoable:
        return None
    # An import's decisions are one bulk change of several outcomes
    # (exchange.imports.decision_plan): name each, in submission order.
    outcomes = dict.fromkeys(log.outcome for log in logs)
    return BulkChange(
        bulk_id=last.bulk_id,
        outcome_label=" or ".join(DECISION_LABELS.get(o, o) for o in outcomes),
        at=last.at,
        undoable=undoable,
        kept=kept,
    )

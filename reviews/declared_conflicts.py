"""Writes of stored conflict facts: declarations, removals and waivers.

What is conflicted is answered by `reviews.conflicts`; every change here is kept in
`ConflictLog`."""

from django.core.exceptions import ValidationError
from django.db import transaction

from haet import clock
from haet.models import User
from reviews.conflicts import refuse_if_hidden
from reviews.models import (
    UNWAIVABLE_SOURCES,
    Conflict,
    ConflictLog,
    ConflictSource,
)
from submissions.models import Submission


# --- conflicts -----------------------------------------------------------------------
def _log(
    submission: Submission,
    user: User,
    source: str,
    action: str,
    *,
    reason: str = "",
    by: User | None = None,
) -> None:
    ConflictLog.objects.create(
        submission=submission,
        user=user,
        source=source,
        action=action,
        reason=reason[:500],
        by=by,
        at=clock.now(),
    )


@transaction.atomic
def declare_conflict(
    submission: Submission, user: User, *, source: str, reason: str = "", by: User
) -> Conflict:
    """A reviewer (source reviewer_declared) or a chair (chair_added) records a
    conflict. Idempotent; a waiver of the same source is lifted.
    Side effects: a ConflictLog row; existing assignments are NOT removed (chairs
    see the conflict flagged on the assignment page)."""
    if source not in (ConflictSource.REVIEWER_DECLARED, ConflictSource.CHAIR_ADDED):
        raise ValidationError("Only reviewer- or chair-declared conflicts are stored.")
    if by is not None and by.pk != user.pk:  # a chair, about someone else
        refuse_if_hidden(submission, by=by)
    now = clock.now()
    conflict, created = Conflict.objects.get_or_create(
        submission=submission,
        user=user,
        source=source,
        defaults={"reason": reason[:500], "created_by": by, "created_at": now},
    )
    if not created and conflict.is_waived:
        conflict.is_waived = False
        conflict.waived_by = None
        conflict.waived_at = None
        conflict.save()
    if created or reason:
        action = (
            ConflictLog.Action.DECLARED
            if source == ConflictSource.REVIEWER_DECLARED
            else ConflictLog.Action.ADDED
        )
        _log(submission, user, source, action, reason=reason, by=by)
    return conflict


@transaction.atomic
def remove_declared_conflict(
    submission: Submission, user: User, *, source: str, by: User
) -> bool:
    """Withdraw a reviewer's or chair's declaration. Side effects: a log row."""
    if by is not None and by.pk != user.pk:  # a chair, about someone else
        refuse_if_hidden(submission, by=by)
    deleted, _ = Conflict.objects.filter(
        submission=submission, user=user, source=source, is_waived=False
    ).delete()
    if deleted:
        _log(submission, user, source, ConflictLog.Action.REMOVED, by=by)
    return bool(deleted)


@transaction.atomic
def waive_conflict(
    submission: Submission, user: User, *, source: str, reason: str = "", by: User
) -> Conflict:
    """A chair waives one source of conflict (the pair stays conflicted while
    another applies). Being an author cannot be waived.
    Side effects: a Conflict row marked waived; a log row."""
    refuse_if_hidden(submission, by=by)
    if source in UNWAIVABLE_SOURCES:
        raise ValidationError("An author of the submission cannot be un-conflicted.")
    ConflictSource(source)
    now = clock.now()
    conflict, _ = Conflict.objects.get_or_create(
        submission=submission,
        user=user,
        source=source,
        defaults={"created_by": by, "created_at": now},
    )
    conflict.is_waived = True
    conflict.waived_by = by
    conflict.waived_at = now
    conflict.waive_reason = reason[:500]
    conflict.save()
    _log(submission, user, source, ConflictLog.Action.WAIVED, reason=reason, by=by)
    return conflict


@transaction.atomic
def unwaive_conflict(
    submission: Submission, user: User, *, source: str, by: User
) -> None:
    """Withdraw a waiver. Side effects: the conflict applies again; a log row."""
    from reviews.models import DETECTED_SOURCES

    refuse_if_hidden(submission, by=by)
    conflict = Conflict.objects.filter(
        submission=submission, user=user, source=source, is_waived=True
    ).first()
    if conflict is None:
        return
    if source in DETECTED_SOURCES:
        conflict.delete()
    else:
        conflict.is_waived = False
        conflict.waived_by = None
        conflict.waived_at = None
        conflict.save()
    _log(submission, user, source, ConflictLog.Action.UNWAIVED, by=by)

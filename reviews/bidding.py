"""Writes of bidding: bids and the reviewer's "done bidding" mark."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from haet import clock
from haet.models import User
from haet.rules import is_reviewer
from reviews import conflicts
from reviews.declared_conflicts import declare_conflict, remove_declared_conflict
from reviews.models import (
    Bid,
    ConflictSource,
    ReviewerProfile,
)
from reviews.rules import is_bidding_open
from submissions.models import Submission


# --- bids ----------------------------------------------------------------------------
def biddable(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    """What reviewers bid on and the solver assigns: submitted submissions."""
    return submissions.filter(state=Submission.State.SUBMITTED)


@transaction.atomic
def place_bid(submission: Submission, reviewer: User, *, value: str) -> Bid:
    """Record the reviewer's bid. "conflict" declares a reviewer conflict; any
    other value withdraws the reviewer's own declaration.
    Raises PermissionDenied when bidding is closed or the pair is conflicted for
    another reason (the view answers 404 before that)."""
    value = Bid.Value(value)
    if not is_reviewer(reviewer) or not is_bidding_open():
        raise PermissionDenied("Bidding is closed.")
    index = conflicts.ConflictIndex.build(users=[reviewer], submissions=[submission])
    other = [
        r
        for r in index.reasons_for(reviewer.pk, submission.pk)
        if not r.is_waived and r.source != ConflictSource.REVIEWER_DECLARED
    ]
    if other or submission.state != Submission.State.SUBMITTED:
        raise PermissionDenied("You cannot bid on this submission.")
    bid, _ = Bid.objects.update_or_create(
        reviewer=reviewer,
        submission=submission,
        defaults={"value": value, "updated_at": clock.now()},
    )
    if value == Bid.Value.CONFLICT:
        declare_conflict(
            submission,
            reviewer,
            source=ConflictSource.REVIEWER_DECLARED,
            reason="Declared when bidding",
            by=reviewer,
        )
    else:
        remove_declared_conflict(
            submission, reviewer, source=ConflictSource.REVIEWER_DECLARED, by=reviewer
        )
    return bid


def mark_bidding_done(reviewer: User, *, is_done: bool = True) -> ReviewerProfile:
    profile, _ = ReviewerProfile.objects.get_or_create(user=reviewer)
    profile.bidding_done_at = clock.now() if is_done else None
    profile.save(update_fields=["bidding_done_at", "updated_at"])
    return profile

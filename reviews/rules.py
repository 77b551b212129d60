"""Who may do what in reviewing. Conflicts are predicates too: every check that
concerns one submission goes through `is_conflicted` (reviews.conflicts).

Permissions (object = a Submission unless said otherwise):

- reviews.manage (no object): chairs run the reviewer pool, conflicts, assignment.
- reviews.chair_view_submission: a chair who is not conflicted. A conflicted chair
  sees nothing of the submission: reviews, discussion, decision.
- reviews.bid (no object): reviewers while bidding is open.
- reviews.bid_on: a reviewer not conflicted with the submission.
- reviews.review_submission: the assigned, non-conflicted reviewer.
- reviews.edit_profile (no object): reviewers.
"""

from datetime import datetime

import rules

from haet import clock
from haet.models import Conference, ImportantDate
from haet.rules import is_chair, is_reviewer


@rules.predicate
def is_conflicted(user, submission) -> bool:
    from reviews.conflicts import is_conflicted as conflicted

    return conflicted(user, submission)


@rules.predicate
def is_assigned_reviewer(user, submission) -> bool:
    """Reads `submission.assignments` (prefetch it on lists)."""
    if submission is None or not user.is_authenticated:
        return False
    return any(a.reviewer_id == user.pk for a in submission.assignments.all())


def bidding_closes_at(conference: Conference | None = None) -> datetime | None:
    conference = conference or Conference.objects.current()
    date = conference.date(ImportantDate.Kind.BIDDING_DEADLINE)
    return date.closes_at if date else None


def bidding_is_open(conference: Conference | None = None) -> bool:
    """Open until the internal "bidding" date closes (open while none is set)."""
    closes_at = bidding_closes_at(conference)
    return closes_at is None or clock.now() < closes_at


@rules.predicate
def is_bidding_open() -> bool:
    return bidding_is_open()


rules.add_perm("reviews.manage", is_chair)
rules.add_perm("reviews.chair_view_submission", is_chair & ~is_conflicted)
rules.add_perm("reviews.bid", is_reviewer & is_bidding_open)
rules.add_perm("reviews.bid_on", is_reviewer & ~is_conflicted)
rules.add_perm(
    "reviews.review_submission", is_reviewer & is_assigned_reviewer & ~is_conflicted
)
rules.add_perm("reviews.edit_profile", is_reviewer)

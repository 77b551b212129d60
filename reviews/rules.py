"""Who may do what in reviewing. Conflicts are predicates too: every check that
concerns one submission goes through `is_conflicted` (haet.rules, which asks
reviews.conflicts), and chairs through `is_unconflicted_chair`: a conflict
found after the assignment hides the submission from that reviewer, and their
assignment cannot proceed (no page, no download, no review, no discussion, no
mails). A conflicted chair sees nothing of the submission either.

Permissions (object = a Submission unless said otherwise):

- reviews.chair_view_submission: a chair who is not conflicted. A conflicted chair
  sees nothing of the submission: reviews, discussion, decision.
- reviews.bid (no object): reviewers while bidding is open.
- reviews.edit_profile (no object): reviewers.
- reviews.write_review: the assigned, non-conflicted reviewer of a live submission.
- reviews.read_submission: the same, or a non-conflicted chair.
- reviews.see_other_reviews: the reviewer, as `ReviewSettings.reviewers_see_other_
  reviews` allows (never / after submitting their own review / always); chairs.
- reviews.read_discussion: whoever sees the other reviews (the discussion quotes
  them), and the submission's area chair (`is_active_area_chair`).
- reviews.write_delegated_review: the accepted delegate of an assigned review
  (`reviews.delegation`), unconflicted, while the reviewer they write for is
  unconflicted too; a live submission.
- reviews.post_discussion: a reviewer who reads it while the chairs keep the
  discussion open (`ReviewSettings.is_discussion_open`); non-conflicted chairs,
  always; the submission's unconflicted area chair, always too (they lead the
  discussion of their submissions for the chairs, signed "Area chair").

The chairs' own pages (pool, conflicts, assignment, review form) are
`haet.manage_conference` (haet.views.ChairRequiredMixin).

Predicates read `submission.assignments` with their reviews (prefetch them) and
cache the review settings on the submission for one request.
"""

from datetime import datetime
from typing import TYPE_CHECKING

import rules

from haet import clock
from haet.models import Conference, ImportantDate
from haet.rules import (
    is_area_chair,
    is_conflicted,
    is_reviewer,
    is_unconflicted_chair,
)
from reviews.models import (
    AreaChairAssignment,
    Assignment,
    Delegation,
    ReviewSettings,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from haet.models import User
    from submissions.models import Submission


@rules.predicate
def is_assigned_reviewer(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> bool:
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


rules.add_perm("reviews.chair_view_submission", is_unconflicted_chair)
rules.add_perm("reviews.bid", is_reviewer & is_bidding_open)
rules.add_perm("reviews.edit_profile", is_reviewer)


# --- the reviewing side -----------------------------------------------------------


def review_settings(submission: "Submission") -> ReviewSettings:
    cached = getattr(submission, "_haet_review_settings", None)
    if cached is None:
        cached = ReviewSettings.objects.for_conference(submission.conference)
        submission._haet_review_settings = cached  # type: ignore[attr-defined]
    return cached


def own_assignment(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> Assignment | None:
    """The user's assignment on the submission (from the prefetch), or None."""
    if submission is None or not user.is_authenticated:
        return None
    return next(
        (a for a in submission.assignments.all() if a.reviewer_id == user.pk), None
    )


def others_visible(policy: str, *, has_submitted: bool) -> bool:
    """The policy as a yes/no: may a reviewer read the others' reviews?"""
    if policy == ReviewSettings.OtherReviews.ALWAYS:
        return True
    if policy == ReviewSettings.OtherReviews.AFTER_OWN:
        return has_submitted
    return False


@rules.predicate
def is_live(user: "User | AnonymousUser", submission: "Submission | None") -> bool:
    return submission is not None and not submission.is_withdrawn


@rules.predicate
def has_submitted_review(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> bool:
    assignment = own_assignment(user, submission)
    review = getattr(assignment, "review", None) if assignment else None
    return review is not None and review.is_submitted


@rules.predicate
def policy_shows_others(user: "User | AnonymousUser", submission: "Submission") -> bool:
    return others_visible(
        review_settings(submission).reviewers_see_other_reviews,
        has_submitted=has_submitted_review(user, submission),
    )


@rules.predicate
def is_discussion_open(user: "User | AnonymousUser", submission: "Submission") -> bool:
    return review_settings(submission).is_discussion_open


is_active_reviewer = is_reviewer & is_assigned_reviewer & ~is_conflicted & is_live


# --- area chairs (reviews.area_chairs) ------------------------------------------------
def area_chair_id_of(submission: "Submission | None") -> int | None:
    """The submission's area chair's id, or None (reads the selected relation)."""
    if submission is None:
        return None
    try:
        return submission.area_chair_assignment.area_chair_id
    except AreaChairAssignment.DoesNotExist:
        return None


@rules.predicate
def is_submission_area_chair(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> bool:
    return user.is_authenticated and area_chair_id_of(submission) == user.pk


is_active_area_chair = (
    is_area_chair & is_submission_area_chair & ~is_conflicted & is_live
)

rules.add_perm("reviews.write_review", is_active_reviewer)
rules.add_perm("reviews.read_submission", is_active_reviewer | is_unconflicted_chair)
rules.add_perm(
    "reviews.see_other_reviews",
    (is_active_reviewer & policy_shows_others) | is_unconflicted_chair,
)
# Area chairs read and post in the discussion of their submissions. A post has no
# chairs-only flag (DiscussionPost), so they read every post; what stays hidden
# from them is what the reviews mark for chairs only (ReviewQuestion.Visibility.
# CHAIRS, "confidential comments to the chairs"): reviewers wrote those for the
# programme chairs, not for a committee member, so their pages render the reviews
# like a reviewer's (reviews.views.reviewing.review_item, for_chair=False).
rules.add_perm(
    "reviews.read_discussion",
    (is_active_reviewer & policy_shows_others)
    | is_unconflicted_chair
    | is_active_area_chair,
)
rules.add_perm(
    "reviews.post_discussion",
    (is_active_reviewer & policy_shows_others & is_discussion_open)
    | is_unconflicted_chair
    | is_active_area_chair,
)


# --- delegation (reviews.delegation) --------------------------------------------------
def accepted_delegation(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> Delegation | None:
    """The user's accepted delegation on the submission (cached for one request)."""
    if submission is None or not user.is_authenticated:
        return None
    cache = submission.__dict__.setdefault("_haet_delegations", {})
    if user.pk not in cache:
        cache[user.pk] = (
            Delegation.objects.accepted_by(user)
            .filter(assignment__submission=submission)
            .select_related("assignment__reviewer")
            .first()
        )
    return cache[user.pk]


@rules.predicate
def is_accepted_delegate(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> bool:
    """An accepted delegate whose delegating reviewer may still review it: a
    delegate never has more access than the reviewer they write for."""
    delegation = accepted_delegation(user, submission)
    return delegation is not None and not is_conflicted(
        delegation.assignment.reviewer, submission
    )


# The delegate's page: the blind submission, the reviewer copy and the draft.
rules.add_perm(
    "reviews.write_delegated_review", is_accepted_delegate & ~is_conflicted & is_live
)

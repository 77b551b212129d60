"""Who may do what on the reviewing side. Object = a Submission.

The conflict answer is `reviews.rules.is_conflicted` (reviews.conflicts): a conflict
found after the assignment hides the submission from that reviewer, and their
assignment cannot proceed (no page, no download, no review, no discussion, no
mails). A conflicted chair sees nothing of the submission either.

- reviews.write_review: the assigned, non-conflicted reviewer of a live submission.
- reviews.read_paper: the same, or a non-conflicted chair.
- reviews.see_other_reviews: the reviewer, as `ReviewSettings.reviewers_see_other_
  reviews` allows (never / after submitting their own review / always); chairs.
- reviews.read_discussion: whoever sees the other reviews (the discussion quotes
  them).
- reviews.post_discussion: a reviewer who reads it while the chairs keep the
  discussion open (`ReviewSettings.is_discussion_open`); non-conflicted chairs,
  always.

Predicates read `submission.assignments` with their reviews (prefetch them) and
cache the review settings on the submission for one request.
"""

import rules

from haet.rules import is_chair, is_reviewer
from reviews.models import ReviewSettings
from reviews.rules import is_assigned_reviewer, is_conflicted


def review_settings(submission) -> ReviewSettings:
    cached = getattr(submission, "_haet_review_settings", None)
    if cached is None:
        cached = ReviewSettings.objects.for_conference(submission.conference)
        submission._haet_review_settings = cached
    return cached


def own_assignment(user, submission):
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
def is_live(user, submission) -> bool:
    return submission is not None and not submission.is_withdrawn


@rules.predicate
def has_submitted_review(user, submission) -> bool:
    assignment = own_assignment(user, submission)
    review = getattr(assignment, "review", None) if assignment else None
    return review is not None and review.is_submitted


@rules.predicate
def policy_shows_others(user, submission) -> bool:
    return others_visible(
        review_settings(submission).reviewers_see_other_reviews,
        has_submitted=has_submitted_review(user, submission),
    )


@rules.predicate
def is_discussion_open(user, submission) -> bool:
    return review_settings(submission).is_discussion_open


is_active_reviewer = is_reviewer & is_assigned_reviewer & ~is_conflicted & is_live
is_unconflicted_chair = is_chair & ~is_conflicted

rules.add_perm("reviews.write_review", is_active_reviewer)
rules.add_perm("reviews.read_paper", is_active_reviewer | is_unconflicted_chair)
rules.add_perm(
    "reviews.see_other_reviews",
    (is_active_reviewer & policy_shows_others) | is_unconflicted_chair,
)
rules.add_perm(
    "reviews.read_discussion",
    (is_active_reviewer & policy_shows_others) | is_unconflicted_chair,
)
rules.add_perm(
    "reviews.post_discussion",
    (is_active_reviewer & policy_shows_others & is_discussion_open)
    | is_unconflicted_chair,
)
rules.add_perm("reviews.edit_review_form", is_chair)

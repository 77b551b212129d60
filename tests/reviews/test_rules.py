"""reviews.rules: the predicates and permissions, asked directly (object: a
Submission). `world` (tests/reviews/conftest.py): #1 with `reviewer` assigned,
`conflicted_reviewer` and `conflicted_chair` conflicted with it by domain."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from haet.models import ImportantDate
from reviews.models import Review, ReviewSettings
from reviews.rules import (
    bidding_closes_at,
    bidding_is_open,
    has_submitted_review,
    is_active_reviewer,
    is_assigned_reviewer,
    is_bidding_open,
    is_discussion_open,
    is_live,
    others_visible,
    policy_shows_others,
)
from submissions.models import Submission
from tests.reviews.conftest import PERSONAS

pytestmark = pytest.mark.django_db

Policy = ReviewSettings.OtherReviews
READERS = {"reviewer", "chair"}  # of #1, once the policy lets the reviewer read


def submission_of(world):
    """#1 as a request would load it (fresh: predicates cache on the instance)."""
    return Submission.objects.get(pk=world.submission.pk)


def set_policy(conference, **fields) -> None:
    ReviewSettings.objects.for_conference(conference)
    ReviewSettings.objects.filter(conference=conference).update(**fields)


def submit_review(world) -> None:
    Review.objects.create(
        assignment=world.assignment, state=Review.State.SUBMITTED, score=3
    )


def granted(world, perm: str, *, on_submission: bool = True) -> set[str]:
    obj = submission_of(world) if on_submission else None
    return {
        persona
        for persona in PERSONAS
        if (world.user(persona) or AnonymousUser()).has_perm(perm, obj)
    }


@pytest.mark.parametrize(
    ("policy", "has_submitted", "expected"),
    [
        (Policy.NEVER, True, False),
        (Policy.AFTER_OWN, False, False),
        (Policy.AFTER_OWN, True, True),
        (Policy.ALWAYS, False, True),
    ],
)
def test_others_visible_reads_the_policy(policy, has_submitted, expected):
    assert others_visible(policy, has_submitted=has_submitted) is expected


def test_the_assigned_reviewer_is_the_one_with_an_assignment(world):
    submission = submission_of(world)

    assert is_assigned_reviewer(world.reviewer, submission)
    assert not is_assigned_reviewer(world.unassigned_reviewer, submission)
    assert not is_assigned_reviewer(AnonymousUser(), submission)
    assert not is_assigned_reviewer(world.reviewer, None)


def test_an_active_reviewer_is_assigned_unconflicted_and_the_submission_live(world):
    submission = submission_of(world)

    assert is_live(None, submission)
    assert is_active_reviewer(world.reviewer, submission)
    assert not is_active_reviewer(world.conflicted_reviewer, submission)

    Submission.objects.filter(pk=submission.pk).update(state=Submission.State.WITHDRAWN)
    withdrawn = submission_of(world)

    assert not is_live(None, withdrawn)
    assert not is_active_reviewer(world.reviewer, withdrawn)


def test_has_submitted_review_needs_a_submitted_one(world):
    assert not has_submitted_review(world.reviewer, submission_of(world))

    Review.objects.create(assignment=world.assignment)  # a draft
    assert not has_submitted_review(world.reviewer, submission_of(world))

    Review.objects.filter(assignment=world.assignment).update(
        state=Review.State.SUBMITTED
    )
    assert has_submitted_review(world.reviewer, submission_of(world))
    assert not has_submitted_review(world.unassigned_reviewer, submission_of(world))


def test_policy_and_discussion_follow_the_review_settings(world):
    set_policy(
        world.conference,
        reviewers_see_other_reviews=Policy.ALWAYS,
        is_discussion_open=True,
    )
    submission = submission_of(world)

    assert policy_shows_others(world.reviewer, submission)
    assert is_discussion_open(world.reviewer, submission)

    set_policy(world.conference, reviewers_see_other_reviews=Policy.NEVER)
    submission = submission_of(world)

    assert not policy_shows_others(world.reviewer, submission)


def test_bidding_is_open_until_its_date_closes(world, frozen):
    closes_at = bidding_closes_at(world.conference)

    frozen(closes_at - timedelta(seconds=1))
    assert bidding_is_open()
    assert is_bidding_open()
    frozen(closes_at)
    assert not bidding_is_open()
    assert not is_bidding_open()


def test_without_a_bidding_date_bidding_stays_open(world, frozen):
    ImportantDate.objects.filter(kind=ImportantDate.Kind.BIDDING_DEADLINE).delete()
    frozen("2030-01-01T00:00:00Z")

    assert bidding_is_open()


# --- permissions per persona ---------------------------------------------------------
def test_unconflicted_chairs_view_a_submission(world):
    assert granted(world, "reviews.chair_view_submission") == {"chair"}


def test_the_active_reviewer_writes_the_review(world):
    assert granted(world, "reviews.write_review") == {"reviewer"}


def test_the_paper_is_read_by_the_active_reviewer_and_unconflicted_chairs(world):
    assert granted(world, "reviews.read_submission") == READERS


@pytest.mark.parametrize(
    "perm", ["reviews.see_other_reviews", "reviews.read_discussion"]
)
def test_the_others_reviews_follow_the_policy(world, perm):
    set_policy(world.conference, reviewers_see_other_reviews=Policy.AFTER_OWN)
    before = granted(world, perm)
    submit_review(world)
    after = granted(world, perm)
    set_policy(world.conference, reviewers_see_other_reviews=Policy.NEVER)
    never = granted(world, perm)

    assert (before, after, never) == ({"chair"}, READERS, {"chair"})


def test_reviewers_post_in_the_discussion_only_while_it_is_open(world):
    set_policy(world.conference, reviewers_see_other_reviews=Policy.ALWAYS)
    closed = granted(world, "reviews.post_discussion")
    set_policy(world.conference, is_discussion_open=True)
    opened = granted(world, "reviews.post_discussion")

    assert (closed, opened) == ({"chair"}, READERS)


def test_reviewers_bid_while_bidding_is_open_and_edit_their_profile(world, frozen):
    reviewers = {"reviewer", "unassigned_reviewer", "conflicted_reviewer"}
    closes_at = bidding_closes_at(world.conference)

    frozen(closes_at - timedelta(seconds=1))
    assert granted(world, "reviews.bid", on_submission=False) == reviewers
    frozen(closes_at)
    assert granted(world, "reviews.bid", on_submission=False) == set()
    assert granted(world, "reviews.edit_profile", on_submission=False) == reviewers

"""decisions.rules: the predicates and permissions, asked directly (object: a
Submission). `world` (tests/reviews/conftest.py): #1 by `author`, with
`conflicted_chair` conflicted with it by domain."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from decisions.models import Decision, Outcome
from decisions.rules import decision_of, is_accepted, is_released
from submissions.models import Submission
from tests.reviews.conftest import PERSONAS, World

pytestmark = pytest.mark.django_db

DECIDED_AT = datetime(2022, 6, 12, tzinfo=UTC)


@pytest.fixture
def world(conference, author, chair):
    return World(conference, author, chair)


def decide(world, outcome=Outcome.ACCEPT_POSTER, *, released: bool) -> None:
    Decision.objects.create(
        submission=world.submission,
        outcome=outcome,
        set_by=world.chair,
        set_at=DECIDED_AT,
        released_at=DECIDED_AT if released else None,
        released_by=world.chair if released else None,
    )


def submission_of(world):
    return Submission.objects.select_related("decision").get(pk=world.submission.pk)


def granted(world, perm: str) -> set[str]:
    submission = submission_of(world)
    return {
        persona
        for persona in PERSONAS
        if (world.user(persona) or AnonymousUser()).has_perm(perm, submission)
    }


def test_an_undecided_submission_is_neither_released_nor_accepted(world):
    submission = submission_of(world)

    assert decision_of(submission) is None
    assert decision_of(None) is None
    assert not is_released(None, submission)
    assert not is_accepted(None, submission)


@pytest.mark.parametrize(
    ("outcome", "released", "expected"),
    [
        (Outcome.ACCEPT_ORAL, False, (False, True)),
        (Outcome.ACCEPT_POSTER, True, (True, True)),
        (Outcome.REJECT, True, (True, False)),
        (Outcome.REJECT, False, (False, False)),
    ],
)
def test_released_and_accepted_read_the_decision(world, outcome, released, expected):
    decide(world, outcome, released=released)
    submission = submission_of(world)

    assert (is_released(None, submission), is_accepted(None, submission)) == expected


def test_a_withdrawn_acceptance_is_no_acceptance(world):
    decide(world, released=True)
    Submission.objects.filter(pk=world.submission.pk).update(
        state=Submission.State.WITHDRAWN
    )

    assert not is_accepted(None, submission_of(world))


def test_unconflicted_chairs_decide_and_chairs_manage(world):
    chairs = {"chair", "conflicted_chair"}

    assert granted(world, "decisions.decide") == {"chair"}
    assert {
        persona
        for persona in PERSONAS
        if (world.user(persona) or AnonymousUser()).has_perm("decisions.manage")
    } == chairs


@pytest.mark.parametrize("released", [False, True])
def test_authors_read_the_outcome_once_released(world, released):
    decide(world, released=released)

    assert granted(world, "decisions.view_outcome") == {"author", "chair"}
    assert granted(world, "decisions.read_outcome") == (
        {"author", "chair"} if released else {"chair"}
    )


@pytest.mark.parametrize(
    ("outcome", "released", "expected"),
    [
        (Outcome.ACCEPT_POSTER, False, {"chair"}),
        (Outcome.ACCEPT_POSTER, True, {"author", "chair"}),
        (Outcome.REJECT, True, set()),
    ],
)
def test_the_camera_ready_is_edited_after_a_released_acceptance(
    world, outcome, released, expected
):
    decide(world, outcome, released=released)

    assert granted(world, "decisions.edit_camera_ready") == expected

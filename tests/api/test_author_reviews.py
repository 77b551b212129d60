"""`/api/submissions/<n>/reviews/`: the reviews and meta-review as the authors read
them on the decision page, once released; never before, never a reviewer's name,
never to another author or a conflicted chair."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from api.models import ApiToken
from decisions.models import Decision, MetaReview
from reviews.models import Assignment
from tests.api.conftest import token_client
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

AT = datetime(2022, 6, 10, tzinfo=UTC)
TO_AUTHORS = "canary-meta: a clear accept, polish the figures"
TO_CHAIRS = "canary-meta-note: chairs only"
CONFIDENTIAL = "canary-confidential: chairs only"


def decide(submission, chair, *, released: bool) -> Decision:
    return Decision.objects.create(
        submission=submission,
        outcome="accept_poster",
        reason="Well received.",
        set_by=chair,
        set_at=AT,
        released_at=AT if released else None,
    )


@pytest.fixture
def decided(world):
    """S decided (not released) with a meta-review; S's review has a confidential
    answer; O decided and released, reviewed by the first reviewer."""
    review = world.s.assignments.get().review
    review.answers["confidential"] = CONFIDENTIAL
    review.save()
    MetaReview.objects.create(
        submission=world.s,
        to_authors=TO_AUTHORS,
        note_to_chairs=TO_CHAIRS,
        written_by=world.chair,
        written_at=AT,
    )
    decide(world.s, world.chair, released=False)
    o_assignment = Assignment.objects.get(submission=world.o, reviewer=world.reviewer)
    ReviewFactory(assignment=o_assignment, score=-1, comments="Weak work on O.")
    decide(world.o, world.chair, released=True)
    return world


def reviews_of(client, number):
    return client.get(reverse("api:submission-reviews", args=[number]))


def release(submission) -> None:
    Decision.objects.filter(submission=submission).update(released_at=AT)


def test_author_gets_404_before_release_and_the_pages_view_after(decided):
    client = token_client(decided.author)

    assert reviews_of(client, decided.s.number).status_code == 404
    release(decided.s)
    response = reviews_of(client, decided.s.number)

    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "accept_poster"
    assert body["meta_review"] == TO_AUTHORS
    [review] = body["reviews"]
    assert review["pseudonym"] == "Reviewer 1"
    answers = dict((a["question"], a["answer"]) for a in review["answers"])
    assert answers["Comments to the authors"] == "Solid work on S."
    assert answers["Overall score"] == "Accept"
    text = json.dumps(body)
    for hidden in (
        CONFIDENTIAL,
        TO_CHAIRS,
        decided.reviewer.name,
        decided.reviewer.email,
    ):
        assert hidden not in text
    # The page shows the same reviews.
    page_client = token_client(None)
    page_client.force_login(decided.author)
    page = page_client.get(reverse("decisions:author-view", args=[decided.s.number]))
    assert "Solid work on S." in page.text
    assert TO_AUTHORS in page.text


def test_another_author_gets_404_even_after_release(decided):
    client = token_client(decided.author)

    assert reviews_of(client, decided.o.number).status_code == 404
    assert reviews_of(client, 9999).status_code == 404


def test_reviewer_and_anonymous_get_nothing(decided):
    release(decided.s)

    assert (
        reviews_of(token_client(decided.reviewer), decided.s.number).status_code == 404
    )
    assert reviews_of(token_client(None), decided.s.number).status_code == 401


def test_chair_reads_it_as_the_authors_will_before_release(decided):
    response = reviews_of(token_client(decided.chair), decided.s.number)

    assert response.status_code == 200
    assert response.json()["meta_review"] == TO_AUTHORS
    assert decided.reviewer.name not in response.text
    # A reviewing-scope token of a chair reads as that person without the role.
    reviewing = token_client(decided.chair, scope=ApiToken.Scope.REVIEWING)
    assert reviews_of(reviewing, decided.s.number).status_code == 404


def test_conflicted_chair_reads_their_own_submission_only_as_its_author(decided):
    client = token_client(decided.conflicted_chair)

    # O is released: they read it as one of its authors, nothing more.
    response = reviews_of(client, decided.o.number)
    assert response.status_code == 200
    assert [r["pseudonym"] for r in response.json()["reviews"]] == ["Reviewer 1"]
    assert decided.reviewer.name not in response.text
    assert "Conrad Conflicted" not in response.text
    # Unreleased, their chair role does not open it.
    Decision.objects.filter(submission=decided.o).update(released_at=None)
    assert reviews_of(client, decided.o.number).status_code == 404
    # S: an unconflicted chair's preview.
    assert reviews_of(client, decided.s.number).status_code == 200

"""The reviewer's "my assignments" overview (the dashboard, with progress) and the
review draft's autosave endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.assigning import assign_reviewer
from reviews.models import Review
from reviews.responses import submit_response
from reviews.reviewing import save_review
from tests.factories import SubmissionFactory
from tests.reviews.conftest import answers
from tests.reviews.test_responses import open_window

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "author",
    "other_author",
    "reviewer",
    "unassigned_reviewer",
    "conflicted_reviewer",
    "chair",
    "conflicted_chair",
]


def autosave(client, **fields):
    data = {"q_summary": "Typed so far", **fields}
    return client.post(reverse("reviews:autosave", args=[1]), data)


@pytest.mark.parametrize("persona", PERSONAS)
def test_autosave_access(client, reviewing, persona):
    user = reviewing.world.user(persona)
    if user is not None:
        client.force_login(user)

    response = autosave(client)

    expected = {"anonymous": 302, "reviewer": 200}.get(persona, 404)
    assert response.status_code == expected
    saved = Review.objects.filter(assignment=reviewing.assignment).first()
    assert (saved is not None) == (persona == "reviewer")


def test_autosave_keeps_a_draft_and_says_when(client, reviewing):
    client.force_login(reviewing.reviewer)

    response = autosave(client, q_score="1")

    review = Review.objects.get(assignment=reviewing.assignment)
    assert (review.state, review.answers["summary"], review.score) == (
        "draft",
        "Typed so far",
        1,
    )
    data = response.json()
    assert data["state"] == "draft"
    assert data["saved_at"].startswith("01:00")  # 5 June 12:00 UTC in UTC-11


def test_autosave_never_touches_a_submitted_review(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    client.force_login(reviewing.reviewer)

    response = autosave(client, q_summary="")

    assert response.status_code == 409
    assert Review.objects.get(assignment=reviewing.assignment).answers["summary"]


def test_autosave_after_the_deadline_is_refused(client, reviewing, frozen):
    frozen("2022-06-20T12:00:00Z")
    client.force_login(reviewing.reviewer)

    response = autosave(client)

    assert response.status_code == 409
    assert "deadline has passed" in response.json()["error"]
    assert not Review.objects.filter(assignment=reviewing.assignment).exists()


def test_autosave_with_a_bad_choice_is_refused(client, reviewing):
    client.force_login(reviewing.reviewer)

    response = autosave(client, q_score="99")

    assert response.status_code == 400
    assert not Review.objects.filter(assignment=reviewing.assignment).exists()


def test_the_review_page_autosaves_only_a_draft(client, reviewing):
    client.force_login(reviewing.reviewer)
    url = reverse("reviews:submission", args=[1])

    page = client.get(url).content.decode()
    assert 'data-autosave-url="/reviews/1/autosave/"' in page
    assert "haet/autosave.js" in page

    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    page = client.get(url).content.decode()
    assert "data-autosave-url" not in page
    assert "haet/autosave.js" not in page


def test_dashboard_shows_progress_and_responses(client, reviewing):
    other = SubmissionFactory(
        conference=reviewing.world.conference,
        number=3,
        contact=reviewing.world.other_author,
    )
    assign_reviewer(other, reviewing.reviewer, by=reviewing.chair, notify=False)
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    open_window(reviewing.world.conference, reviewing.chair)
    submit_response(reviewing.submission, "Thanks.", by=reviewing.world.author)
    client.force_login(reviewing.reviewer)

    page = client.get(reverse("reviews:dashboard")).content.decode()

    assert "<strong>1 of 2</strong> reviews submitted" in page
    assert "0 drafts · 1 not started" in page
    assert "next due" in page
    assert 'href="/reviews/1/#response">authors responded' in page
    assert 'href="/reviews/3/#response"' not in page


def test_dashboard_query_count_is_constant(client, reviewing):
    client.force_login(reviewing.reviewer)
    open_window(reviewing.world.conference, reviewing.chair)
    url = reverse("reviews:dashboard")

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        return len(context.captured_queries)

    small = queries()
    for number in (3, 4, 5):
        submission = SubmissionFactory(
            conference=reviewing.world.conference,
            number=number,
            contact=reviewing.world.other_author,
        )
        assign_reviewer(
            submission, reviewing.reviewer, by=reviewing.chair, notify=False
        )
    assert queries() == small

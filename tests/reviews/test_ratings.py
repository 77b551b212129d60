"""Chairs rate reviews (private); the outstanding reviewers' page lists only
reviewers who agreed, once chairs publish it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import ListingConsent, Recognition, ReviewRating
from reviews.ratings import (
    outstanding_reviewers,
    rate_review,
    reviewer_standings,
    set_listing_consent,
)
from reviews.reviewing import save_review
from tests.reviews.conftest import SECOND_NAME, answers

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


def rate_url():
    return reverse("reviews:chair-rate", args=[1])


def login(client, reviewing, persona):
    user = reviewing.world.user(persona)
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize("persona", PERSONAS)
def test_rating_access(client, reviewing, persona):
    login(client, reviewing, persona)

    response = client.post(
        rate_url(),
        {
            "assignment": reviewing.second_assignment.pk,
            "rating": "helpful",
            "note": "Thorough and kind.",
        },
    )

    expected = {"anonymous": 302, "chair": 302}.get(persona, 404)
    assert response.status_code == expected
    assert ReviewRating.objects.count() == (1 if persona == "chair" else 0)


def test_a_chair_rates_and_changes_their_rating(client, reviewing):
    client.force_login(reviewing.chair)
    data = {"assignment": reviewing.second_assignment.pk, "rating": "helpful"}

    client.post(rate_url(), {**data, "note": "Thorough."})
    client.post(rate_url(), {**data, "rating": "not_helpful", "note": "On second look"})

    rating = ReviewRating.objects.get()
    assert (rating.is_helpful, rating.note, rating.rated_by) == (
        False,
        "On second look",
        reviewing.chair,
    )
    page = client.get(reverse("reviews:chair-submission", args=[1])).content.decode()
    assert "On second look" in page
    assert "not helpful" in page


def test_bad_rating_input_gets_a_message_and_saves_nothing(client, reviewing):
    client.force_login(reviewing.chair)

    response = client.post(
        rate_url(), {"assignment": reviewing.second_assignment.pk}, follow=True
    )

    assert "Choose “helpful” or “not helpful”" in response.content.decode()
    assert not ReviewRating.objects.exists()


def test_the_browser_asks_for_a_rating_before_it_sends_a_note(client, reviewing):
    """Without a choice the server refuses and the note typed would be lost: the
    radio group is required, so the browser asks first."""
    import lxml.html

    client.force_login(reviewing.chair)
    page = client.get(reverse("reviews:chair-submission", args=[1])).content.decode()

    forms = lxml.html.fromstring(page).xpath("//form[contains(@class, 'rating-form')]")
    assert forms
    for form in forms:
        assert form.xpath(".//input[@name='rating'][@required]")


def test_a_draft_or_someone_elses_assignment_cannot_be_rated(client, reviewing):
    save_review(reviewing.assignment, {"summary": "draft"}, by=reviewing.reviewer)
    client.force_login(reviewing.chair)

    with pytest.raises(ValidationError):
        rate_review(reviewing.assignment.review, is_helpful=True, by=reviewing.chair)
    response = client.post(rate_url(), {"assignment": 999_999, "rating": "helpful"})

    assert response.status_code == 404


def test_conflicted_chairs_and_reviewers_cannot_rate(reviewing):
    review = reviewing.second_review
    for user in (reviewing.world.conflicted_chair, reviewing.reviewer):
        with pytest.raises(PermissionDenied):
            rate_review(review, is_helpful=True, by=user)


def test_reviewers_never_see_ratings(client, reviewing):
    rate_review(
        reviewing.second_review,
        is_helpful=False,
        note="Secret chair note",
        by=reviewing.chair,
    )
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)

    for user in (reviewing.second, reviewing.reviewer):
        client.force_login(user)
        page = client.get(reverse("reviews:submission", args=[1])).content.decode()
        assert "Secret chair note" not in page
        assert "helpful" not in page.lower()


# --- outstanding reviewers -----------------------------------------------------------
def test_outstanding_lists_only_reviewers_who_agreed(reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    conference = reviewing.world.conference
    rate_review(reviewing.second_review, is_helpful=True, by=reviewing.chair)
    rate_review(reviewing.assignment.review, is_helpful=True, by=reviewing.chair)

    assert outstanding_reviewers(conference) == []

    set_listing_consent(reviewing.second, agrees=True)

    assert outstanding_reviewers(conference) == [reviewing.second]
    set_listing_consent(reviewing.second, agrees=False)
    assert outstanding_reviewers(conference) == []


def test_a_review_rated_not_helpful_keeps_a_reviewer_off_the_list(reviewing):
    set_listing_consent(reviewing.second, agrees=True)
    rate_review(reviewing.second_review, is_helpful=False, by=reviewing.chair)

    assert outstanding_reviewers(reviewing.world.conference) == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_page_is_404_until_published(client, reviewing, persona):
    set_listing_consent(reviewing.second, agrees=True)
    rate_review(reviewing.second_review, is_helpful=True, by=reviewing.chair)
    login(client, reviewing, persona)
    url = reverse("reviews:outstanding")

    assert client.get(url).status_code == 404
    Recognition.objects.filter(conference=reviewing.world.conference).update(
        is_published=True
    )
    page = client.get(url)
    assert page.status_code == 200
    assert SECOND_NAME in page.content.decode()
    assert reviewing.reviewer.display_name not in page.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_chair_outstanding_page_access(client, reviewing, persona):
    login(client, reviewing, persona)

    response = client.get(reverse("reviews:chair-outstanding"))

    expected = {"anonymous": 302, "chair": 200, "conflicted_chair": 200}
    assert response.status_code == expected.get(persona, 404)


def test_chair_publishes_the_page(client, reviewing):
    client.force_login(reviewing.chair)

    client.post(reverse("reviews:chair-outstanding"), {"publish": "1"})

    assert Recognition.objects.get().is_published
    client.post(reverse("reviews:chair-outstanding"), {"publish": "0"})
    assert not Recognition.objects.get().is_published


def test_conflicted_chair_counts_leave_out_their_submissions(reviewing):
    rate_review(reviewing.second_review, is_helpful=True, by=reviewing.chair)
    conference = reviewing.world.conference

    everything = reviewer_standings(conference, hidden_submission_ids=set())
    hidden = reviewer_standings(
        conference, hidden_submission_ids={reviewing.submission.pk}
    )

    assert [(s.user, s.helpful_count) for s in everything] == [(reviewing.second, 1)]
    assert hidden == []


def test_conflicted_chair_page_says_nothing_of_their_submission(client, reviewing):
    rate_review(reviewing.second_review, is_helpful=True, note="n", by=reviewing.chair)
    client.force_login(reviewing.world.conflicted_chair)

    page = client.get(reverse("reviews:chair-outstanding")).content.decode()

    assert SECOND_NAME not in page
    assert "No review rated yet." in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_listing_consent_access(client, reviewing, persona):
    user = login(client, reviewing, persona)

    response = client.post(reverse("reviews:listing-consent"), {"agrees": "1"})

    reviewers = {"reviewer", "unassigned_reviewer", "conflicted_reviewer"}
    expected = 302 if persona in reviewers | {"anonymous"} else 404
    assert response.status_code == expected
    agreed = ListingConsent.objects.filter(agrees=True).values_list("user", flat=True)
    assert list(agreed) == ([user.pk] if persona in reviewers else [])


def test_profile_shows_the_consent(client, reviewing):
    client.force_login(reviewing.reviewer)

    page = client.get(reverse("reviews:profile")).content.decode()

    assert "I agree to be listed" in page


def test_chair_outstanding_page_query_count_is_constant(
    client, reviewing, make_reviewer
):
    from reviews.assigning import assign_reviewer

    def add_rated_reviewers(count):
        for n in range(count):
            extra = make_reviewer()
            assignment, _ = assign_reviewer(
                reviewing.submission, extra, by=reviewing.chair, notify=False
            )
            review = save_review(assignment, answers(), by=extra, submit=True)
            rate_review(review, is_helpful=n % 2 == 0, by=reviewing.chair)
            set_listing_consent(extra, agrees=True)

    def queries():
        client.get(url)  # warm: settings rows, session
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        return len(context.captured_queries), len(response.context["standings"])

    url = reverse("reviews:chair-outstanding")
    client.force_login(reviewing.chair)
    add_rated_reviewers(1)
    small = queries()
    add_rated_reviewers(3)
    large = queries()

    assert (small[1], large[1]) == (1, 4)
    assert small[0] == large[0]

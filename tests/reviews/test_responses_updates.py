"""Issue 16: reviewers may update their review after the authors' response, even
after the review deadline, until the response window's date for it (by default
three days after the window closes). Only the assigned reviewer, only a review
already submitted, only when the authors responded."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews.models import ResponseWindow, Review, ReviewAfterResponse
from reviews.responses import submit_response, update_response_window
from reviews.reviewing import ReviewDeadlinePassed, save_review
from tests.reviews.conftest import answers
from tests.reviews.test_responses import TEXT, open_window
from tests.reviews.test_reviewing_views import form_data

pytestmark = pytest.mark.django_db

# The window closes 6 June 2022 23:59 UTC-11 = 7 June 11:00 UTC; the review
# deadline 8 June 23:59 UTC-11 = 9 June 11:00 UTC; updates, by default, until
# three days after the window: 10 June 11:00 UTC.
AFTER_REVIEW_DEADLINE = "2022-06-09T18:00:00Z"
UPDATES_CLOSED = "2022-06-10T11:00:00Z"


@pytest.fixture
def responded(reviewing):
    """The reviewer submitted; the window opened; the authors responded."""
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    open_window(reviewing.world.conference, reviewing.chair)
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)
    return reviewing


def page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("reviews:submission", args=[1])).content.decode()


def test_the_default_is_three_days_after_the_window_closes(reviewing):
    window = open_window(reviewing.world.conference, reviewing.chair)

    assert window.updates_last_minute is None
    assert window.updates_close_at == datetime.fromisoformat(UPDATES_CLOSED)


def test_reviewer_updates_after_the_review_deadline(responded, frozen):
    frozen(AFTER_REVIEW_DEADLINE)

    review = save_review(
        responded.assignment, answers(score=3), by=responded.reviewer, submit=True
    )

    assert (review.score, review.state) == (3, Review.State.SUBMITTED)
    change = ReviewAfterResponse.objects.get()
    assert (change.score_before, change.score_after) == (2, 3)


def test_the_update_period_ends_at_its_date(responded, frozen):
    frozen(UPDATES_CLOSED)

    with pytest.raises(ReviewDeadlinePassed, match="after the authors' response"):
        save_review(
            responded.assignment, answers(score=3), by=responded.reviewer, submit=True
        )

    assert Review.objects.get(assignment=responded.assignment).score == 2
    assert not ReviewAfterResponse.objects.exists()


def test_a_later_date_set_by_the_chairs_is_kept(responded, frozen):
    conference = responded.world.conference
    update_response_window(
        conference,
        is_enabled=True,
        opens_at=datetime(2022, 6, 4, 0, 0, tzinfo=conference.tzinfo),
        last_minute=datetime(2022, 6, 6, 23, 59, tzinfo=conference.tzinfo),
        updates_last_minute=datetime(2022, 6, 12, 23, 59, tzinfo=conference.tzinfo),
        word_limit=500,
        by=responded.chair,
    )
    frozen("2022-06-12T23:00:00Z")

    review = save_review(
        responded.assignment, answers(score=1), by=responded.reviewer, submit=True
    )

    assert review.score == 1


def test_without_a_response_the_review_deadline_holds(reviewing, frozen):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    open_window(reviewing.world.conference, reviewing.chair)
    frozen(AFTER_REVIEW_DEADLINE)

    with pytest.raises(ReviewDeadlinePassed, match="review deadline has passed"):
        save_review(
            reviewing.assignment, answers(score=3), by=reviewing.reviewer, submit=True
        )


def test_a_draft_never_submitted_is_not_opened_again(reviewing, frozen):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer)  # a draft
    open_window(reviewing.world.conference, reviewing.chair)
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)
    frozen(AFTER_REVIEW_DEADLINE)

    for submit in (False, True):
        with pytest.raises(ReviewDeadlinePassed):
            save_review(
                reviewing.assignment, answers(), by=reviewing.reviewer, submit=submit
            )
    assert not Review.objects.get(assignment=reviewing.assignment).is_submitted


def test_nobody_else_writes_the_review(responded, frozen):
    frozen(AFTER_REVIEW_DEADLINE)

    for other in (responded.chair, responded.second):
        with pytest.raises(PermissionDenied):
            save_review(responded.assignment, answers(score=-3), by=other, submit=True)
    assert Review.objects.get(assignment=responded.assignment).score == 2


def test_reviewer_page_offers_the_update_and_chairs_see_it(client, responded, frozen):
    frozen(AFTER_REVIEW_DEADLINE)

    content = page(client, responded.reviewer)
    assert "You may update your review in the light of the authors" in content
    assert "9 June 2022, 11:59 pm" in content  # 10 June 11:00 UTC, in UTC-11
    assert "Update review" in content

    posted = client.post(
        reverse("reviews:review", args=[1]), form_data(answers(score=3), "submit")
    )
    assert posted.status_code == 302
    assert Review.objects.get(assignment=responded.assignment).score == 3
    client.force_login(responded.chair)
    chair_page = client.get(
        reverse("reviews:chair-submission", args=[1])
    ).content.decode()
    assert "updated after response" in chair_page


def test_reviewer_page_is_closed_after_the_update_date(client, responded, frozen):
    frozen(UPDATES_CLOSED)

    content = page(client, responded.reviewer)
    assert "can no longer be changed" in content
    assert "Update review" not in content

    refused = client.post(
        reverse("reviews:review", args=[1]),
        form_data(answers(score=3), "submit"),
        follow=True,
    )
    assert "Nothing was changed" in refused.content.decode()
    assert Review.objects.get(assignment=responded.assignment).score == 2


def test_reviewer_page_without_a_response_shows_the_review_deadline(
    client, reviewing, frozen
):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    open_window(reviewing.world.conference, reviewing.chair)

    content = page(client, reviewing.reviewer)

    assert "in the light of the authors" not in content
    assert "Reviews can be changed until" in content


def test_chair_sets_the_update_date_in_the_conference_zone(client, reviewing):
    client.force_login(reviewing.chair)
    url = reverse("reviews:chair-response-window")
    form = {
        "is_enabled": "on",
        "open_day": "2022-06-04",
        "close_day": "2022-06-06",
        "update_day": "2022-06-11",
        "update_clock": "12:00",
        "word_limit": "400",
    }

    assert "three days after the window closes" in client.get(url).content.decode()
    client.post(url, form)

    conference = reviewing.world.conference
    window = ResponseWindow.objects.get()
    assert window.updates_last_minute == datetime(
        2022, 6, 11, 12, 0, tzinfo=conference.tzinfo
    )
    shown = client.get(url).content.decode()
    assert 'value="2022-06-11"' in shown
    assert "reviewers may update their reviews until" in shown


def test_an_update_date_before_the_window_closes_is_refused(client, reviewing):
    client.force_login(reviewing.chair)

    response = client.post(
        reverse("reviews:chair-response-window"),
        {
            "is_enabled": "on",
            "open_day": "2022-06-04",
            "close_day": "2022-06-06",
            "update_day": "2022-06-05",
            "word_limit": "400",
        },
    )

    content = response.content.decode()
    assert "give a date after the window closes" in content
    assert 'value="2022-06-05"' in content  # what was typed stays
    assert not ResponseWindow.objects.get().is_enabled


def test_the_service_refuses_it_too(reviewing):
    conference = reviewing.world.conference
    with pytest.raises(ValidationError, match="after the window closes"):
        update_response_window(
            conference,
            is_enabled=True,
            opens_at=datetime(2022, 6, 4, 0, 0, tzinfo=conference.tzinfo),
            last_minute=datetime(2022, 6, 6, 23, 59, tzinfo=conference.tzinfo),
            updates_last_minute=datetime(2022, 6, 6, 0, 0, tzinfo=conference.tzinfo),
            word_limit=500,
            by=reviewing.chair,
        )

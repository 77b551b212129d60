"""The reviewer's dashboard shows, on the row of a submission the authors responded
to, until when the submitted review may be updated (issue 16), in the conference's
time zone like every deadline; nothing where it does not apply."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.assigning import assign_reviewer
from reviews.responses import submit_response, update_response_window
from reviews.reviewing import save_review
from tests.factories import SubmissionFactory
from tests.reviews.conftest import answers
from tests.reviews.test_responses import TEXT, open_window

pytestmark = pytest.mark.django_db

LABEL = "Update after the authors' response until"
# The window closes 6 June 2022 23:59 UTC-11; updates, by default, three days
# later: 9 June 23:59 UTC-11 (10 June 11:00 UTC). The review deadline is 8 June.
DEFAULT_UNTIL = "9 June 2022, 11:59 pm"


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("reviews:dashboard"))


def row(page: str, number: int) -> str:
    start = page.index(f'<tr id="a{number}">')
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def responded(reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    open_window(reviewing.world.conference, reviewing.chair)
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)
    return reviewing


def test_the_row_shows_the_update_date_in_the_conference_zone(client, responded):
    response = dashboard(client, responded.reviewer)

    (item,) = response.context["assignments"]
    assert item.update_until == datetime.fromisoformat("2022-06-10T11:00:00Z")
    first = row(response.text, 1)
    assert LABEL in first
    assert DEFAULT_UNTIL in first
    # The deadline tag: the last open minute, the UTC time in the title.
    assert 'title="10 June 2022 10:59 UTC"' in first


def test_a_later_date_set_by_the_chairs_is_shown(client, responded):
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

    page = dashboard(client, responded.reviewer).text

    assert "12 June 2022, 11:59 pm" in row(page, 1)


def test_no_date_without_a_response(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    open_window(reviewing.world.conference, reviewing.chair)

    response = dashboard(client, reviewing.reviewer)

    assert [i.update_until for i in response.context["assignments"]] == [None]
    assert LABEL not in response.text


def test_no_date_for_a_review_not_submitted(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer)  # a draft
    open_window(reviewing.world.conference, reviewing.chair)
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)

    response = dashboard(client, reviewing.reviewer)

    assert [i.update_until for i in response.context["assignments"]] == [None]
    assert LABEL not in response.text


def test_only_the_responded_row_shows_it(client, responded):
    other = SubmissionFactory(
        conference=responded.world.conference,
        number=3,
        contact=responded.world.other_author,
    )
    assignment, _ = assign_reviewer(
        other, responded.reviewer, by=responded.chair, notify=False
    )
    save_review(assignment, answers(), by=responded.reviewer, submit=True)

    page = dashboard(client, responded.reviewer).text

    assert LABEL in row(page, 1)
    assert LABEL not in row(page, 3)


def test_the_dashboard_query_count_does_not_grow_with_responses(client, responded):
    url = reverse("reviews:dashboard")
    client.force_login(responded.reviewer)

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        return len(context.captured_queries)

    few = queries()
    for number in (3, 4, 5):
        submission = SubmissionFactory(
            conference=responded.world.conference,
            number=number,
            contact=responded.world.author,
        )
        assignment, _ = assign_reviewer(
            submission, responded.reviewer, by=responded.chair, notify=False
        )
        save_review(assignment, answers(), by=responded.reviewer, submit=True)
        submit_response(submission, TEXT, by=responded.world.author)

    response = client.get(url)
    assert response.text.count(LABEL) == 4
    assert queries() == few

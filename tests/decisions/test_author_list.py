"""The authors' "My submissions" list shows each released decision (issue 14 item
14): nothing before the release, nothing for a decision not yet released, and the
same number of queries however many there are. submissions never imports
decisions: the column comes through submissions.panels.register_list_column."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def release_all(conference, chair):
    _, tokens, _ = preview_release(conference, by=chair)
    release_decisions(conference, tokens=tokens, by=chair, notify=False)


def my_list(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("submissions:list"))
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, number: int) -> str:
    return re.search(rf"<tr>\s*<td>#{number}</td>(.*?)</tr>", html, re.S).group(1)


@pytest.fixture
def three(conference, author):
    return [
        SubmissionFactory(conference=conference, number=n, contact=author)
        for n in (1, 2, 3)
    ]


def test_nothing_before_the_release(client, conference, chair, author, three):
    decide(three[0], Outcome.ACCEPT_ORAL, by=chair)
    decide(three[1], Outcome.REJECT, by=chair)

    html = my_list(client, author)

    assert "<th>Decision</th>" not in html
    assert "Accept (oral)" not in html
    assert "Reject" not in html


def test_released_decisions_show_and_unreleased_ones_do_not(
    client, conference, chair, author, three
):
    decide(three[0], Outcome.ACCEPT_ORAL, by=chair)
    decide(three[1], Outcome.REJECT, by=chair)
    release_all(conference, chair)
    decide(three[2], Outcome.ACCEPT_POSTER, by=chair)  # decided after: not released

    html = my_list(client, author)

    assert "<th>Decision</th>" in html
    assert "Accept (oral)" in row(html, 1)
    assert reverse("decisions:author-view", args=[1]) in row(html, 1)
    assert "Reject" in row(html, 2)
    assert "Accept (poster)" not in html
    assert "decisions/3/outcome" not in html


def test_another_author_sees_only_their_own(client, conference, chair, three):
    decide(three[0], Outcome.ACCEPT_ORAL, by=chair)
    release_all(conference, chair)
    other = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    SubmissionFactory(conference=conference, number=4, contact=other)

    html = my_list(client, other)

    assert "Accept (oral)" not in html
    assert "<th>Decision</th>" not in html


def queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("submissions:list"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("submissions:list"))
    return len(captured)


def test_the_column_costs_one_query_whatever_the_number_of_rows(
    client, conference, chair, author, three
):
    before = queries(client, author)
    for submission in three:
        decide(submission, Outcome.ACCEPT_POSTER, by=chair)
    release_all(conference, chair)
    one_each = queries(client, author)
    for n in (4, 5, 6):
        decide(
            SubmissionFactory(conference=conference, number=n, contact=author),
            Outcome.REJECT,
            by=chair,
        )
    release_all(conference, chair)

    assert queries(client, author) == one_each == before

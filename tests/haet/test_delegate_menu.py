"""Delegates find their work: base.html's "My work" links each accepted delegation's
page (reviews.context_processors), and nobody else sees such a link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.delegation import withdraw_delegation
from tests.reviews.conftest import REVIEW_TIME, World
from tests.reviews.test_delegation import accepted

pytestmark = pytest.mark.django_db

LABEL = "Delegated review"


@pytest.fixture
def world(conference, author, chair, frozen, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    frozen(REVIEW_TIME)
    return World(conference, author, chair)


def nav_html(client, user=None) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("home")).text
    return page[page.index('<nav aria-label="Main">') : page.index("</nav>")]


def test_a_delegate_sees_the_link_and_it_opens_their_page(client, world):
    _, delegate = accepted(world)
    url = reverse("reviews:delegated", args=[world.submission.number])

    nav = nav_html(client, delegate)

    assert "<summary>My work</summary>" in nav
    assert f'<li><a href="{url}">{LABEL} #1</a></li>' in nav
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "author", "reviewer", "chair"])
def test_others_do_not_see_it(client, world, persona):
    accepted(world)  # someone else's delegation, of `reviewer`'s assignment

    assert LABEL not in nav_html(client, world.user(persona))


def test_a_withdrawn_delegation_takes_the_link_away(client, world):
    delegation, delegate = accepted(world)
    withdraw_delegation(delegation, by=world.reviewer)

    nav = nav_html(client, delegate)

    assert LABEL not in nav
    assert "My work" not in nav  # the delegate has no other role


def test_the_link_is_one_query_per_request(client, world):
    _, delegate = accepted(world)
    client.force_login(delegate)
    client.get(reverse("home"))  # warm the session and the conference

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home")).text

    assert LABEL in page
    assert len([q for q in captured if "reviews_delegation" in q["sql"]]) == 1

"""Delegates find their work: base.html's "My work" links each accepted delegation's
page (reviews.context_processors), and nobody else sees such a link; nor does a
delegate who became conflicted with the submission since (its page is a 404)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.assigning import assign_reviewer
from reviews.declared_conflicts import declare_conflict
from reviews.delegation import (
    accept_delegation,
    propose_delegation,
    withdraw_delegation,
)
from reviews.models import ConflictSource
from tests.factories import DeclaredConflictFactory, SubmissionFactory
from tests.reviews.conftest import REVIEW_TIME, World
from tests.reviews.test_delegation import accepted

pytestmark = pytest.mark.django_db

LABEL = "Delegated review"
# The home page of a delegate: their conflicts and those of the reviewers they
# write for looked up once (one ConflictIndex), whatever the number of links.
QUERIES_FOR_HOME = 22


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


# --- a delegate who became conflicted: no link to a page that would be a 404 ----------
def declared_by_the_delegate(world, delegate):
    declare_conflict(
        world.submission,
        delegate,
        source=ConflictSource.REVIEWER_DECLARED,
        by=delegate,
    )


def added_by_a_chair(world, delegate):
    declare_conflict(
        world.submission, delegate, source=ConflictSource.CHAIR_ADDED, by=world.chair
    )


def declared_by_the_authors(world, delegate):
    DeclaredConflictFactory(submission=world.submission, value=delegate.email)


@pytest.mark.parametrize(
    "conflict", [declared_by_the_delegate, added_by_a_chair, declared_by_the_authors]
)
def test_a_conflict_after_accepting_takes_the_link_away(client, world, conflict):
    _, delegate = accepted(world)
    url = reverse("reviews:delegated", args=[world.submission.number])
    assert url in nav_html(client, delegate)

    conflict(world, delegate)
    nav = nav_html(client, delegate)

    assert client.get(url).status_code == 404  # the page the link went to
    assert url not in nav
    assert LABEL not in nav
    assert "My work" not in nav  # the delegate has no other role


def more_delegations(world, delegate, count: int) -> list[int]:
    """`count` more accepted delegations of `world.reviewer`'s reviews to
    `delegate`, each of a new submission; their numbers."""
    numbers = []
    for number in range(10, 10 + count):
        submission = SubmissionFactory(conference=world.conference, number=number)
        assignment, _ = assign_reviewer(
            submission, world.reviewer, by=world.chair, notify=False
        )
        delegation = propose_delegation(
            assignment, name=delegate.name, email=delegate.email, by=world.reviewer
        )
        accept_delegation(delegation, user=delegate)
        numbers.append(number)
    return numbers


@pytest.mark.parametrize("item_count", [1, 3])
def test_the_menu_query_count_is_constant_with_a_conflicted_delegation(
    client, world, django_assert_num_queries, item_count
):
    _, delegate = accepted(world)
    numbers = more_delegations(world, delegate, item_count)
    declared_by_the_delegate(world, delegate)  # #1 is hidden from now on
    client.force_login(delegate)
    client.get(reverse("home"))  # warm the session and the conference

    with django_assert_num_queries(QUERIES_FOR_HOME):
        page = client.get(reverse("home")).text

    nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]
    assert [n for n in numbers if f"{LABEL} #{n}<" in nav] == numbers
    assert f"{LABEL} #1<" not in nav


def test_the_invitation_link_of_a_conflicted_delegate_no_longer_leads_to_a_404(
    client, world
):
    delegation, delegate = accepted(world)
    answer = reverse("reviews:delegation-answer", args=[delegation.token])
    client.force_login(delegate)
    assert client.get(answer).status_code == 302  # their way back, while allowed

    declared_by_the_delegate(world, delegate)
    response = client.get(answer)

    assert response.status_code == 200
    text = response.text
    assert "This review is no longer open to you." in text
    assert reverse("reviews:delegated", args=[1]) not in text


def test_a_conflict_of_the_delegating_reviewer_takes_the_link_away(client, world):
    """A delegate never has more access than the reviewer they write for: once
    the reviewer is conflicted, the page is a 404, and the link goes too."""
    _, delegate = accepted(world)
    url = reverse("reviews:delegated", args=[world.submission.number])
    assert url in nav_html(client, delegate)

    declare_conflict(
        world.submission,
        world.reviewer,
        source=ConflictSource.CHAIR_ADDED,
        by=world.chair,
    )
    nav = nav_html(client, delegate)

    assert client.get(url).status_code == 404
    assert url not in nav
    assert LABEL not in nav

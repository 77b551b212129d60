"""Jurors find their page: base.html links "Jury" when awards says the user is on a
jury (awards.context_processors)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JURY_LINK = f'<li><a href="{reverse("awards:jury")}">Jury</a></li>'


def nav_html(client, user=None) -> str:
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("home")).text
    return page[page.index('<nav aria-label="Main">') : page.index("</nav>")]


def test_a_juror_sees_the_jury_entry(client, world):
    assert JURY_LINK in nav_html(client, world.juror)


@pytest.mark.parametrize("persona", ["anonymous", "author", "chair", "reviewer"])
def test_others_do_not(client, world, reviewer, persona):
    user = {"anonymous": None, "reviewer": reviewer}.get(persona)
    user = user or getattr(world, persona, None)

    assert "Jury" not in nav_html(client, user)


def queries_for_home(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # warm the session and the conference
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    return len(captured)


def test_the_jury_entry_costs_the_same_whatever_the_number_of_juries(client, world):
    """The juror of every award and someone on no jury: the same count."""
    nobody = UserFactory(email="nobody@example.org", name="No Body")

    on_all_juries = queries_for_home(client, world.juror)
    on_none = queries_for_home(client, nobody)

    assert on_all_juries == on_none


def test_the_jury_entry_is_one_query_per_request(client, world):
    client.force_login(world.juror)
    client.get(reverse("home"))

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))

    jury_queries = [q for q in captured if "awardsettings_jury" in q["sql"]]
    assert len(jury_queries) == 1

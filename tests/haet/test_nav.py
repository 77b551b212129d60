"""haet.nav: entries registered by apps, evaluated once per request, never for
anonymous visitors."""

import pytest
from django.test import RequestFactory

from haet import nav

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' entries stay untouched)."""
    monkeypatch.setattr(nav, "_ITEMS", {})
    calls = []

    def predicate(user) -> bool:
        calls.append(user)
        return user.email.startswith("a")

    nav.register_nav_item("mine", label="Mine", url_name="home", predicate=predicate)
    return calls


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_entries_whose_predicate_holds_are_listed_once_per_request(
    registry, author, outsider
):
    request = request_for(author)

    first = nav.nav_links(request)
    second = nav.nav_links(request)

    assert first == [nav.NavLink("Mine", "/")]
    assert second is first
    assert registry == [author]  # evaluated once
    assert nav.nav_links(request_for(outsider)) == []


def test_anonymous_visitors_cost_nothing(registry):
    from django.contrib.auth.models import AnonymousUser

    assert nav.nav_links(request_for(AnonymousUser())) == []
    assert registry == []


def test_registering_a_key_again_replaces_it(registry):
    nav.register_nav_item("mine", label="Other", url_name="home", predicate=bool)

    assert [item.label for item in nav._ITEMS.values()] == ["Other"]


def test_haet_does_not_import_awards():
    from pathlib import Path

    import haet.context_processors
    import haet.nav

    for module in (haet.nav, haet.context_processors):
        assert "awards" not in Path(module.__file__).read_text()

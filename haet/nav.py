"""Navigation entries that later apps add (the jury's page), so that haet never
imports them: each app registers a label, a URL name and a predicate over the
signed-in user in its AppConfig.ready(), as submissions.panels does for sections
of the submission page. base.html shows the entries whose predicate holds."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

Predicate = Callable[..., bool]  # (user) -> bool; keep it to one cheap query


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    predicate: Predicate


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


_ITEMS: dict[str, NavItem] = {}


def register_nav_item(
    key: str, *, label: str, url_name: str, predicate: Predicate
) -> None:
    """Idempotent: registering the same key again replaces it."""
    _ITEMS[key] = NavItem(label, url_name, predicate)


def nav_links(request) -> list[NavLink]:
    """The registered entries for the signed-in user, in registration order.

    Computed once per request (cached on it), and never for anonymous visitors:
    the navigation costs one query per registered item at most, whatever the page.
    """
    cached = getattr(request, "_haet_nav_links", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    links = []
    if user is not None and user.is_authenticated:
        links = [
            NavLink(item.label, reverse(item.url_name))
            for item in _ITEMS.values()
            if item.predicate(user)
        ]
    request._haet_nav_links = links
    return links

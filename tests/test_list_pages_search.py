"""Every chair list searches, sorts and pages on the server (haet.listing), on the
demo conference: search narrows to rows that contain the words, a column sorts
both ways, page 2 holds the next rows. Pages of two rows, so page 2 exists."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.urls import reverse

from haet.models import User
from haet.seed import STAGE_NOW
from reviews.models import AssignmentRun
from reviews.views.conflicts import conflict_text

pytestmark = pytest.mark.django_db


def person(u) -> str:
    return f"{u.name} {u.first_name} {u.last_name} {u.email}"


def paper(s) -> str:
    names = " ".join(a.name for a in s.authors.all())
    return f"#{s.number} {s.title} {names}"


def searched_paper(s) -> str:
    """What the chairs' search language reads (submissions.search.terms.text)."""
    people = " ".join(f"{a.name} {a.affiliation}" for a in s.authors.all())
    return f"#{s.number} {s.title} {s.abstract} {s.keywords} {people}"


@dataclass
class Spec:
    name: str
    text: Callable[[Any], str]  # what a row shows that search may match
    sort: str
    value: Callable[[Any], Any]  # the row's value in that column
    sort_param: str = "sort"


SPECS = [
    Spec("chair-dates", lambda d: f"{d.label} {d.kind}", "label", lambda d: d.label),
    Spec("chair-people", person, "email", lambda u: u.email),
    Spec("submissions:chair-list", searched_paper, "title", lambda s: s.title),
    Spec(
        "reviews:invitations",
        lambda i: f"{i.email} {i.name}",
        "email",
        lambda i: i.email,
    ),
    Spec(
        "reviews:conflicts",
        conflict_text,
        "submission",
        lambda r: r["submission"].number,
    ),
    Spec("reviews:assignments", paper, "reviewers", lambda s: s.assigned),
    Spec(
        "reviews:runs",
        lambda r: f"{r.status} {r.created_by.email}",
        "status",
        lambda r: r.status,
    ),
    Spec("reviews:chair-reviews", paper, "score", lambda s: s.mean_score),
    Spec(
        "decisions:dashboard",
        lambda r: f"#{r.number} {r.title}",
        "number",
        lambda r: r.number,
    ),
    Spec(
        "decisions:camera-ready-progress",
        lambda p: f"#{p.number} {p.title} " + " ".join(a["name"] for a in p.authors),
        "title",
        lambda p: p.title.casefold(),
    ),
    Spec(
        "awards:chair-list",
        lambda a: f"{a.award.name} {a.get_kind_display()}",
        "name",
        lambda a: a.award.name.casefold(),
    ),
    Spec(
        "outbox:list", lambda m: f"{m.to_email} {m.subject}", "to", lambda m: m.to_email
    ),
]


@pytest.fixture
def demo(client, settings, monkeypatch):
    settings.HAET_NOW = STAGE_NOW["over"]
    call_command(
        "seed_haet2022",
        *("--stage", "over", "--papers", "12", "--reviewers", "6", "--reviews"),
        stdout=io.StringIO(),
    )
    chair = User.objects.get(email="chair@haet.example")
    for status in ("failed", "discarded", "done"):  # more than one proposal
        AssignmentRun.objects.create(status=status, created_by=chair)
    client.force_login(chair)
    monkeypatch.setattr("haet.listing.PER_PAGE", 2)
    return client


def shown(client, name: str, query: str) -> tuple:
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200
    page = response.context["listing"].page
    return page, list(page.object_list)


def in_order(values: list, descending: bool) -> bool:
    present = [v for v in values if v is not None]
    # Rows without a value come last, whichever way.
    assert values[len(present) :] == [None] * (len(values) - len(present))
    return present == sorted(present, reverse=descending)


def distinctive_word(text: str, everything: list[str]) -> str:
    """A word of `text` that not every row contains."""
    for word in sorted(text.split(), key=len, reverse=True):
        word = word.strip("#()<>,.")
        found = sum(word.casefold() in other.casefold() for other in everything)
        if len(word) > 2 and found < len(everything):
            return word
    raise AssertionError(f"no distinctive word in {text!r}")


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_search_narrows_sort_orders_and_page_two_follows(demo, spec):
    # The dashboard's own filter form searches (title or number) and sorts; the
    # listing pages it.
    per = "per=200"
    _, everything = shown(demo, spec.name, per)
    assert len(everything) >= 3, "the seed gives every list a second page"
    texts = [spec.text(row) for row in everything]

    word = distinctive_word(texts[-1], texts)
    page, found = shown(demo, spec.name, f"q={word}&{per}")
    assert 0 < page.paginator.count < len(everything)
    assert all(word.casefold() in spec.text(row).casefold() for row in found)
    assert page.paginator.count == sum(word.casefold() in t.casefold() for t in texts)

    for descending in (False, True):
        sort = f"-{spec.sort}" if descending else spec.sort
        _, rows = shown(demo, spec.name, f"{spec.sort_param}={sort}&{per}")
        assert len(rows) == len(everything)
        assert in_order([spec.value(r) for r in rows], descending), sort

        page, second = shown(demo, spec.name, f"{spec.sort_param}={sort}&page=2")
        assert page.number == 2
        assert [spec.text(r) for r in second] == [spec.text(r) for r in rows[2:4]]


@pytest.mark.parametrize("name", ["reviews:invitations", "outbox:list"])
def test_status_links_keep_the_search_and_sort(demo, name):
    """A status filter link keeps what was typed and the chosen order, and goes
    back to page 1 (issue 14 item 11); "All" drops only the status."""
    html = demo.get(
        f"{reverse(name)}?q=haet&sort=-status&per=25&page=2&status=sent"
    ).content.decode()
    # The status links read "Label (count)"; the pager's "clear" link drops q.
    links = re.findall(r'<a href="(\?[^"]*status=[^"]*)"[^>]*>[^<]*\(\d+\)</a>', html)
    assert links, "the page offers status filters"
    for link in links:
        params = parse_qs(unescape(link)[1:])
        assert params.get("q") == ["haet"], link
        assert params.get("sort") == ["-status"], link
        assert params.get("per") == ["25"], link
        assert "page" not in params, link
    every = re.search(r'<a href="([^"]*)"[^>]*>All \(', html).group(1)
    params = parse_qs(unescape(every)[1:])
    assert "status" not in params
    assert params.get("q") == ["haet"]

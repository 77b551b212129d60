"""The accessibility audit (issue 14 item 16): every page each role can reach has no
critical and no serious axe-core violation of WCAG 2.2 AA.

At each demo stage (the seed of `make run STAGE=...`, smaller) and for each persona of
the access matrix (anonymous, author, reviewer, conflicted reviewer, chair), the
crawl's discovery finds the pages: every URL pattern, its arguments filled from the
seeded objects (the persona's own submissions and assignments tried first), kept when
the persona gets an HTML page. Chromium then opens each page, signed in as the
persona, and axe-core (tests/a11y.py) audits it: one browser, one tab per persona.

A page whose elements were all audited already is not audited again: its "shape" (the
set of elements by tag, parent, class, role, type, ARIA attributes and whether they
carry text) equals that of a page of the same pattern audited earlier, for another
persona or at an earlier stage. Text is what such pages differ in, and axe's rules
judge elements, their names and their nesting, so this keeps the audit to a few
minutes without leaving an element unjudged. Pages after a form post (flash messages,
form errors) are audited by the keyboard journeys (tests/test_keyboard_journeys.py).

Each audited page is also laid out on a phone (390 px wide) and must not scroll
sideways: a wide table scrolls in its own .table-wrap, the page stays put.
"""

import os
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client

from haet.seed import STAGE_NOW
from submissions.models import Submission
from tests.a11y import axe_source, blocking_violations, signed_in_tab
from tests.crawler import body_text, url_patterns, urls_of
from tests.test_access_matrix import audience, personas
from tests.test_conflicted_chair_crawl import argument_values, not_crawled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGES = ["cfp", "review", "decision", "over"]
MAX_TRIES_PER_PATTERN = 5  # URLs of one pattern tried until the persona opens one
# The audiences (tests/test_access_matrix.py) whose pages each persona may open.
OPEN = {
    "anonymous": {"public"},
    "author": {"public", "own"},
    "reviewer": {"public", "own", "reviewer"},
    "conflicted_reviewer": {"public", "own", "reviewer"},
    "chair": {"public", "own", "reviewer", "chair"},
    "delegate": {"public", "own", "reviewer"},  # their one delegated submission
    "area_chair": {"public", "own", "area_chair"},
}
PHONE = {"width": 390, "height": 844}
NAMED = {"a", "button", "label", "th", "h1", "h2", "h3", "h4", "option", "legend"}
SHAPE_ATTRIBUTES = ("class", "role", "type", "for", "title", "alt", "tabindex")


class Shape(HTMLParser):
    """The set of elements of a page, as axe tells them apart (text left out)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple] = []
        self.elements: set[tuple] = set()

    def handle_starttag(self, tag, attrs):
        kept = tuple(
            sorted(
                (k, v if k in ("class", "role", "type") else "")
                for k, v in attrs
                if k in SHAPE_ATTRIBUTES or k.startswith("aria-")
            )
        )
        parent = self.stack[-1][0] if self.stack else ""
        entry = [tag, parent, kept, False]
        if tag in NAMED:
            self.stack.append(entry)  # closed below, with whether it had text
        else:
            self.elements.add((tag, parent, kept))
            if tag not in ("input", "img", "br", "hr", "meta", "link", "source"):
                self.stack.append(entry)

    def handle_data(self, data):
        if data.strip():
            for entry in self.stack:
                entry[3] = True

    def handle_endtag(self, tag):
        while self.stack:
            entry = self.stack.pop()
            if entry[0] in NAMED:
                self.elements.add(tuple(entry))
            if entry[0] == tag:
                break


def shape(html: str, element: str) -> frozenset:
    """The shape of the page's first <element> (header, main)."""
    start = html.find(f"<{element}")
    end = html.find(f"</{element}>", start)
    parser = Shape()
    parser.feed(html[start : end + len(element) + 3] if start >= 0 else "")
    parser.close()
    return frozenset(parser.elements)


def numbers_first(user) -> list[int]:
    """Submission numbers, the persona's own and assigned ones first."""
    numbers = list(
        Submission.objects.order_by("number").values_list("number", flat=True)
    )
    if user is None:
        return numbers
    mine = set(
        Submission.objects.filter(
            Q(authors__user=user)
            | Q(assignments__reviewer=user)
            | Q(assignments__delegations__delegate=user)
            | Q(area_chair_assignment__area_chair=user)
        ).values_list("number", flat=True)
    )
    return sorted(numbers, key=lambda n: n not in mine)


def reachable_pages(client: Client, user, persona: str) -> dict[str, tuple]:
    """{url: (pattern, html)}: an HTML page of each pattern the persona may open.

    Patterns the access matrix closes to the persona (chair pages for everyone else,
    reviewer pages for authors, all but public pages for anonymous visitors) are
    not asked: tests/test_access_matrix.py proves they answer 404 or sign-in."""
    pages = {}
    numbers = numbers_first(user)
    for name, pattern in url_patterns():
        if not_crawled(name) is not None or audience(name) not in OPEN[persona]:
            continue
        values = argument_values(name)
        if "number" in values:
            values["number"] = numbers
        urls, _ = urls_of(name, pattern, values)
        for url, _number in urls[:MAX_TRIES_PER_PATTERN]:
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code == 200 and kind.startswith("text/html"):
                pages[url] = (name, body_text(response))
            if response.status_code != 404:  # a download, a redirect, POST only
                break
    return pages


def scrolls_sideways_on_a_phone(page) -> bool:
    viewport = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        root = "document.documentElement"
        return page.evaluate(f"{root}.scrollWidth > {root}.clientWidth")
    finally:
        page.set_viewport_size(viewport)


@pytest.fixture(scope="module")
def reached_patterns() -> set:
    return set()


def judging_under_way() -> None:
    """Two papers on every award's shortlist, results not decided: the demo
    seeds none, and without them the chairs' result forms and the jurors'
    ballots were never audited (their fields had no labels)."""
    from awards.judging import change_shortlist
    from awards.queries import eligible_submissions
    from haet.models import AwardCategory, User
    from haet.rules import conflicted_submission_ids

    chair = User.objects.get(email="chair@haet.example")
    hidden = conflicted_submission_ids(chair)
    for award in AwardCategory.objects.order_by("pk"):
        for submission in eligible_submissions(award).exclude(pk__in=hidden)[:2]:
            change_shortlist(award, submission, action="add", by=chair)


@pytest.fixture(scope="module")
def audited_shapes() -> set:
    """(pattern, shape) of every page audited so far, across the stages, and
    ("header", shape) of every header."""
    return set()


@pytest.mark.parametrize("stage", STAGES)
def test_every_page_of_every_role_passes_axe(
    stage, browser, live_server, settings, audited_shapes, reached_patterns
):
    axe_source()  # fails in CI, skips elsewhere, when node_modules lacks axe-core
    settings.HAET_NOW = STAGE_NOW[stage]  # the demo clock, in the live server too
    call_command(
        "seed_haet2022",
        papers=8,
        reviewers=6,
        stage=stage,
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    if stage == "over":
        judging_under_way()
    found: dict[tuple, list[str]] = defaultdict(list)
    reached = audited = 0
    for persona, user in personas(stage).items():
        client = Client()
        context, page = signed_in_tab(browser, live_server, client, user)
        try:
            pages = reachable_pages(client, user, persona)
            assert "/" in pages, f"{persona} cannot open the home page at {stage}"
            reached += len(pages)
            reached_patterns.update(name for name, _ in pages.values())
            for url, (name, html) in pages.items():
                # The content, and the header (its menu differs per persona).
                keys = {(name, shape(html, "main")), ("header", shape(html, "header"))}
                if keys <= audited_shapes:
                    continue
                response = page.goto(url)
                audited += 1
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    found[("error", "status", "the browser got no page")].append(
                        f"{persona} {url} ({name}): {status}"
                    )
                    continue
                for v in blocking_violations(page):
                    node = v["nodes"][0]
                    found[(v["impact"], v["id"], v["help"])].append(
                        f"{persona} {url} ({name}) x{len(v['nodes'])}: "
                        f"{' '.join(map(str, node['target']))}: {node['html'][:140]}"
                    )
                if scrolls_sideways_on_a_phone(page):
                    found[
                        ("layout", "phone", "the page scrolls sideways at 390 px")
                    ].append(f"{persona} {url} ({name})")
                audited_shapes.update(keys)
        finally:
            context.close()
    print(f"stage {stage}: {reached} pages reached, {audited} audited")
    unreached = {n for n, _ in url_patterns() if not n.startswith(("admin:", "social"))}
    print("not reached so far:", " ".join(sorted(unreached - reached_patterns)))
    assert reached > 100  # the personas really did open the project's pages
    report = []
    for (impact, rule, help_text), where in sorted(found.items()):
        report.append(f"[{impact}] {rule}: {help_text} ({len(where)} pages)")
        report += [f"    {line}" for line in where[:12]]
    assert not found, f"Stage {stage}: axe found\n" + "\n".join(report)

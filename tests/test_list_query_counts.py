"""The N+1 sweep: every list page costs the same number of queries for a small and a
three-times larger conference, built by the real demo seed (submissions, reviewers,
assignments, reviews, decisions, camera-ready, awards)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.models import User
from haet.seed import STAGE_NOW

pytestmark = pytest.mark.django_db

# (who, URL name): every page that lists submissions, people, reviews or mails.
LIST_PAGES = [
    ("chair", "chair-dates"),
    ("chair", "chair-people"),
    ("chair", "submissions:chair-list"),
    ("chair", "submissions:chair-fields"),
    ("chair", "reviews:chair"),
    ("chair", "reviews:invitations"),
    ("chair", "reviews:conflicts"),
    ("chair", "reviews:assignments"),
    ("chair", "reviews:runs"),
    ("chair", "reviews:chair-reviews"),
    ("chair", "reviews:chair-outstanding"),
    ("chair", "reviews:chair-delegations"),
    ("chair", "reviews:chair-emergency"),
    ("chair", "decisions:dashboard"),
    ("chair", "decisions:release"),
    ("chair", "decisions:camera-ready-progress"),
    ("chair", "decisions:exports"),
    ("chair", "decisions:programme"),
    ("chair", "awards:chair-list"),
    ("chair", "outbox:list"),
    ("chair", "audit:log"),
    ("chair", "campaigns:list"),
    ("author", "submissions:list"),
    ("reviewer", "reviews:dashboard"),
    ("chair", "reviews:area-chairs"),
    ("chair", "decisions:meta-reviews"),
    ("area-chair", "reviews:area-chair-dashboard"),
    (None, "accepted:list"),
    (None, "awards:index"),
    # The read-only API's lists (tests/api/test_query_counts.py per persona too).
    ("chair", "api:submissions"),
    ("chair", "api:assignments"),
    ("chair", "api:reviews"),
    ("chair", "api:decisions"),
    ("author", "api:submissions"),
    ("author", "api:decisions"),
    ("reviewer", "api:assigned"),
    ("reviewer", "api:reviews"),
    (None, "api:topics"),
    (None, "api:accepted"),
    (None, "api:awards"),
]

# Each chair list once more searched, sorted and on page 2 (pages of two rows, so
# that a second page exists in both conferences): search, sort and paging add a
# fixed number of queries, never one per row.
QUERIED = {
    "chair-dates": "q=e&sort=-at&page=2",
    "chair-people": "q=%40&sort=-name&page=2",
    "submissions:chair-list": "q=e&sort=-title&page=2",
    "reviews:invitations": "q=%40&sort=-email&page=2",
    "reviews:conflicts": "q=%40&sort=-person&page=2",
    "reviews:assignments": "q=e&sort=-reviewers&page=2&rq=%40&rsort=-load&rpage=2",
    "reviews:runs": "q=e&sort=-status&page=2",
    "reviews:chair-reviews": "q=e&sort=-score&page=2",
    "decisions:dashboard": "q=e&sort=-mean&page=2",
    "decisions:camera-ready-progress": "q=e&sort=-title&page=2",
    "awards:chair-list": "q=a&sort=-name&page=2",
    "outbox:list": "q=%40&sort=-to&page=2",
    "audit:log": "q=submission&sort=seq&page=2&action=submission.created",
}


class Rollback(Exception):
    """Undo one seeded conference (a savepoint inside the test's transaction)."""


def count_queries(client, url: str, pages: dict | None = None) -> int:
    client.get(url)  # warm: settings rows created on first use, session, caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    if pages is not None:  # which page of how many matching rows it showed
        page = response.context["listing"].page
        pages[url] = (page.number, page.paginator.count)
    return len(context.captured_queries)


def counts_for(client, papers: int, monkeypatch, pages: dict) -> dict:
    call_command(
        "seed_haet2022",
        "--stage",
        "over",
        "--papers",
        str(papers),
        "--reviewers",
        str(max(6, papers // 2)),
        "--reviews",
        stdout=io.StringIO(),
    )
    from decisions.models import Decision
    from reviews.models import Review
    from submissions.models import Submission

    # The world really is larger: more submissions, reviews and decisions.
    assert Submission.objects.count() == papers
    assert Review.objects.submitted().count() >= 2 * papers
    assert Decision.objects.count() >= papers - 1
    counts = {}
    for who, name in LIST_PAGES:
        client.logout()
        if who:
            client.force_login(User.objects.get(email=f"{who}@haet.example"))
        counts[(who, name)] = count_queries(client, reverse(name))
        if name in QUERIED:
            with monkeypatch.context() as patched:
                patched.setattr("haet.listing.PER_PAGE", 2)
                url = f"{reverse(name)}?{QUERIED[name]}"
                counts[(who, name, "searched")] = count_queries(client, url, pages)
    return counts


def test_list_pages_cost_the_same_queries_for_a_larger_conference(
    client, settings, monkeypatch
):
    settings.HAET_NOW = STAGE_NOW["over"]
    measured, pages = {}, {}
    for papers in (5, 15):
        pages[papers] = {}
        try:
            with transaction.atomic():
                measured[papers] = counts_for(
                    client, papers, monkeypatch, pages[papers]
                )
                raise Rollback
        except Rollback:
            pass

    grew = {
        page: (measured[5][page], measured[15][page])
        for page in measured[5]
        if measured[5][page] != measured[15][page]
    }
    assert grew == {}
    # The searched variants really showed a second page of matches (the seed makes
    # a single assignment proposal, so the runs page stays on its only page).
    on_page = {url: number for url, (number, count) in pages[15].items() if count}
    assert len(on_page) == len(QUERIED)
    assert {url for url, number in on_page.items() if number != 2} == {
        f"{reverse('reviews:runs')}?{QUERIED['reviews:runs']}"
    }

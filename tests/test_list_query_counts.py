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
    ("chair", "reviews:chair"),
    ("chair", "reviews:invitations"),
    ("chair", "reviews:conflicts"),
    ("chair", "reviews:assignments"),
    ("chair", "reviews:runs"),
    ("chair", "reviews:chair-reviews"),
    ("chair", "decisions:dashboard"),
    ("chair", "decisions:release"),
    ("chair", "decisions:camera-ready-progress"),
    ("chair", "decisions:exports"),
    ("chair", "decisions:programme"),
    ("chair", "awards:chair-list"),
    ("chair", "outbox:list"),
    ("author", "submissions:list"),
    ("reviewer", "reviews:dashboard"),
    (None, "accepted:list"),
    (None, "awards:index"),
]


class Rollback(Exception):
    """Undo one seeded conference (a savepoint inside the test's transaction)."""


def count_queries(client, url: str) -> int:
    client.get(url)  # warm: settings rows created on first use, session, caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def counts_for(client, papers: int) -> dict:
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
    return counts


def test_list_pages_cost_the_same_queries_for_a_larger_conference(client, settings):
    settings.HAET_NOW = STAGE_NOW["over"]
    measured = {}
    for papers in (5, 15):
        try:
            with transaction.atomic():
                measured[papers] = counts_for(client, papers)
                raise Rollback
        except Rollback:
            pass

    grew = {
        page: (measured[5][page], measured[15][page])
        for page in measured[5]
        if measured[5][page] != measured[15][page]
    }
    assert grew == {}

"""Every list endpoint costs the same number of queries however many rows it has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Decision
from haet import clock
from reviews.assigning import assign_reviewer
from tests.api.conftest import token_client
from tests.factories import ReviewerFactory, ReviewFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "topics",
    "submissions",
    "assigned",
    "assignments",
    "reviews",
    "decisions",
    "accepted",
    "awards",
]


def grow(world, count: int) -> None:
    """`count` more submissions, each authored by the author, assigned to the
    reviewer and reviewed."""
    for _ in range(count):
        submission = SubmissionFactory(contact=world.author)
        submission.topics.set(submission.conference.topics.all()[:2])
        assignment, _ = assign_reviewer(submission, world.reviewer, by=world.chair)
        ReviewFactory(assignment=assignment, score=1)
        assign_reviewer(submission, ReviewerFactory(), by=world.chair)
        Decision.objects.create(
            submission=submission,
            outcome="accept_poster",
            set_by=world.chair,
            set_at=clock.now(),
            released_at=clock.now(),
        )


def queries(client, name: str) -> tuple[int, int]:
    """(queries, rows listed)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"api:{name}"))
    assert response.status_code == 200, response.content
    return len(captured), response.json()["count"]


PUBLIC_LISTS = ["topics", "accepted", "awards"]
CASES = [("anonymous", name) for name in PUBLIC_LISTS] + [
    (persona, name) for persona in ("author", "reviewer", "chair") for name in LISTS
]


@pytest.mark.parametrize(("persona", "name"), CASES)
def test_list_query_count_is_constant(world, name, persona):
    client = token_client(getattr(world, persona, None))
    client.get(reverse("api:topics"))  # the token's first use is written once
    grow(world, 1)  # one row at least: an empty list skips its prefetches
    before, rows_before = queries(client, name)

    grow(world, 3)

    after, rows_after = queries(client, name)
    assert after == before
    grows = {
        "author": {"submissions", "decisions", "accepted"},
        "reviewer": {"assigned", "assignments", "reviews", "accepted"},
        "chair": {"submissions", "assignments", "reviews", "decisions", "accepted"},
        "anonymous": {"accepted"},
    }[persona]
    assert (rows_after > rows_before) == (name in grows)

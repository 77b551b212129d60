"""Every schedule list page costs the same number of queries for a short and a
long day (more sessions, orals, posters, camera-ready versions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from proceedings.models import CameraReady
from schedule.services import (
    assign_poster_boards,
    fill_orals,
    publish_schedule,
    save_item,
    save_session,
)
from tests.factories import SubmissionFactory
from tests.schedule.conftest import venue

pytestmark = pytest.mark.django_db

PAGES = [
    ("chair", "schedule:edit"),
    (None, "schedule:timetable"),
    (None, "schedule:by-room"),
    (None, "schedule:print"),
    (None, "schedule:json"),
    (None, "schedule:ics"),
]


def grow(day, first_number: int, count: int) -> None:
    """`count` more orals and posters, each in a new session with its own slot."""
    for n in range(first_number, first_number + count):
        oral = SubmissionFactory(
            conference=day.conference, number=n, contact=day.poster_author
        )
        poster = SubmissionFactory(
            conference=day.conference, number=n + 100, contact=day.poster_author
        )
        decide(oral, Outcome.ACCEPT_ORAL, by=day.chair)
        decide(poster, Outcome.ACCEPT_POSTER, by=day.chair)
        CameraReady.objects.create(submission=oral, title=f"Final {n}")
        session = save_session(
            day.schedule,
            title=f"Session {n}",
            starts_at=venue(14, n % 50),
            ends_at=venue(15, n % 50),
            room=f"Room {n}",
            by=day.chair,
        )
        save_item(
            session,
            kind="oral",
            starts_at=venue(14, n % 50),
            ends_at=venue(14, n % 50 + 5),
            by=day.chair,
        )
    fill_orals(day.schedule, by=day.chair)
    assign_poster_boards(day.schedule, by=day.chair)
    day.release()


def counts(client, day) -> dict[str, int]:
    found = {}
    for who, name in PAGES:
        client.logout()
        if who:
            client.force_login(getattr(day, who))
        client.get(reverse(name))  # warm: sessions, settings rows made on first use
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        found[name] = len(queries)
    return found


def test_schedule_pages_cost_the_same_for_a_short_and_a_long_day(day, client):
    day.build()
    grow(day, 10, 1)
    publish_schedule(day.schedule, by=day.chair)
    short = counts(client, day)

    grow(day, 20, 5)
    long = counts(client, day)

    assert long == short

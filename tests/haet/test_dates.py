"""Deadlines are instants: 23:59 UTC-11 is the same moment for every server."""

from datetime import UTC, datetime

import icalendar
import pytest
from django.urls import reverse

from haet import clock
from haet.models import ImportantDate
from haet.timezones import parse_zone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "server_zone", ["UTC", "Europe/Paris", "Asia/Tokyo", "America/Los_Angeles"]
)
def test_deadline_is_the_same_instant_in_any_server_zone(
    settings, conference, server_zone
):
    settings.TIME_ZONE = server_zone

    deadline = ImportantDate.objects.get(kind=ImportantDate.Kind.SUBMISSION_DEADLINE)

    assert deadline.at == datetime(2022, 5, 28, 10, 59, tzinfo=UTC)
    assert deadline.closes_at == datetime(2022, 5, 28, 11, 0, tzinfo=UTC)
    assert deadline.local_at.strftime("%d %B %Y %H:%M") == "27 May 2022 23:59"


def test_whole_day_closes_at_midnight_in_the_conference_zone(conference):
    workshop = ImportantDate.objects.get(kind=ImportantDate.Kind.WORKSHOP)

    assert workshop.closes_at == datetime(2022, 7, 24, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "offset_hours"),
    [
        ("UTC-11", -11),
        ("UTC+2", 2),
        ("utc+5:30", 5.5),
        ("UTC", 0),
        ("UTC\u221211", -11),
    ],
)
def test_fixed_offsets_parse(name, offset_hours):
    zone = parse_zone(name)

    assert zone.utcoffset(None).total_seconds() == offset_hours * 3600


def test_iana_zones_parse_and_bad_names_are_refused():
    from django.core.exceptions import ValidationError

    assert str(parse_zone("Europe/Paris")) == "Europe/Paris"
    with pytest.raises(ValidationError):
        parse_zone("Mars/Olympus")


@pytest.mark.parametrize(
    "name",
    # A region without its city is a directory of the zone database, and a
    # name longer than a file name can be is no file: zoneinfo raised OSError
    # for both, a server error on every form with a zone.
    ["Europe", "America", "Europe/", "x" * 300, "zone1970.tab", "../UTC"],
)
def test_names_that_are_no_zone_are_refused_with_the_reason(name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="is not a time zone"):
        parse_zone(name)


def test_calendar_has_the_four_public_dates(client, conference):
    response = client.get(reverse("dates-ics"))

    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert sorted(events) == [
        "HAET 2022: Acceptance notification",
        "HAET 2022: Camera-ready deadline",
        "HAET 2022: Paper submission deadline",
        "HAET 2022: Workshop",
    ]
    deadline = events["HAET 2022: Paper submission deadline"]["dtstart"].dt
    assert deadline == datetime(2022, 5, 28, 10, 59, tzinfo=UTC)
    camera = events["HAET 2022: Camera-ready deadline"]["dtstart"].dt
    assert camera == datetime(2022, 7, 1, 10, 59, tzinfo=UTC)
    assert str(events["HAET 2022: Workshop"]["dtstart"].dt) == "2022-07-23"
    assert (
        str(events["HAET 2022: Acceptance notification"]["dtstart"].dt) == "2022-06-13"
    )
    assert all(e["uid"] for e in events.values())


def test_demo_clock_runs_forward_from_haet_now(settings, frozen):
    frozen("2026-11-29T10:00:00Z")
    settings.HAET_NOW = "2022-05-20T12:00:00-11:00"
    first = clock.now()
    frozen("2026-11-29T10:00:05Z")

    assert first == datetime(2022, 5, 20, 23, 0, tzinfo=UTC)
    assert (clock.now() - first).total_seconds() == 5


def test_haet_now_without_a_zone_is_utc(settings, frozen):
    # A naive HAET_NOW raised AttributeError (django.utils.timezone.utc is gone in
    # Django 5); mypy found it.
    frozen("2026-11-29T10:00:00Z")
    settings.HAET_NOW = "2022-05-20T12:00:00"

    assert clock.now() == datetime(2022, 5, 20, 12, 0, tzinfo=UTC)


def test_real_clock_without_haet_now(frozen):
    frozen("2026-11-29T10:00:00Z")

    assert clock.now() == datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def test_system_check_refuses_haet_now_without_debug(settings):
    from haet.checks import demo_clock_only_in_debug

    settings.DEBUG = False
    settings.HAET_NOW = "2022-05-20T12:00:00-11:00"
    assert [e.id for e in demo_clock_only_in_debug(None)] == ["haet.E001"]
    settings.DEBUG = True
    assert demo_clock_only_in_debug(None) == []


def test_healthz_answers_when_the_database_does(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_reports_a_dead_redis_but_the_web_stays_healthy(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    # The web serves everyone without Redis (issue 12, finding 5): a load balancer
    # must not take it out of rotation, so only the database decides the status.
    assert response.status_code == 200
    assert response.json()["redis"].startswith("error")

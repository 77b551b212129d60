"""haet.deadlines: when a deadline closes and how an instant is written, whatever the
server's zone."""

from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from haet import deadlines
from haet.models import ImportantDate
from haet.timezones import parse_zone, zone_label

HAET_LAST_MINUTE = datetime(2022, 5, 28, 10, 59, tzinfo=UTC)  # 27 May 23:59 UTC-11
HAET_CLOSES = datetime(2022, 5, 28, 11, 0, tzinfo=UTC)


def test_a_deadline_is_open_for_its_whole_last_minute():
    assert deadlines.end_of_minute(HAET_LAST_MINUTE) == HAET_CLOSES
    assert deadlines.end_of_minute(HAET_LAST_MINUTE + timedelta(seconds=59.9)) == (
        HAET_CLOSES
    )
    assert deadlines.last_open_minute(HAET_CLOSES) == HAET_LAST_MINUTE
    assert deadlines.closes_at(HAET_LAST_MINUTE) == HAET_CLOSES


def test_a_day_without_a_time_closes_at_midnight_in_the_conference_zone():
    # The workshop, 23 July 2022 in UTC-11, is stored as its local midnight.
    workshop = datetime(2022, 7, 23, 11, 0, tzinfo=UTC)
    closes = deadlines.closes_at(workshop, has_time=False, where="UTC-11")
    assert closes == datetime(2022, 7, 24, 11, 0, tzinfo=UTC)
    assert deadlines.closes_at(workshop, has_time=False, where="UTC") == datetime(
        2022, 7, 24, tzinfo=UTC
    )


def test_an_extension_only_moves_a_deadline_later():
    later = HAET_CLOSES + timedelta(days=2)
    earlier = HAET_CLOSES - timedelta(days=2)
    assert deadlines.extended(HAET_CLOSES, later) == later
    assert deadlines.extended(HAET_CLOSES, earlier) == HAET_CLOSES
    assert deadlines.extended(None, later, None) == later
    assert deadlines.extended(None) is None


def test_a_window_accepts_the_grace_period_as_late():
    window = deadlines.Window(closes_at=HAET_CLOSES, grace=timedelta(minutes=10))
    on_time = HAET_CLOSES - timedelta(microseconds=1)
    assert window.is_open(on_time)
    assert not window.is_late(on_time)
    assert window.is_open(HAET_CLOSES)
    assert window.is_late(HAET_CLOSES)
    assert not window.is_open(HAET_CLOSES + timedelta(minutes=10))
    assert deadlines.Window(closes_at=None).is_open(datetime(2100, 1, 1, tzinfo=UTC))


def test_a_deadline_is_written_in_the_conference_zone_and_in_utc():
    assert deadlines.describe_deadline(HAET_CLOSES, "UTC-11") == (
        "27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC)"
    )
    written = deadlines.write(HAET_LAST_MINUTE, "UTC-11")
    assert written.iso == "2022-05-28T10:59:00Z"
    assert (written.day, written.clock, written.zone) == (
        "27 May 2022",
        "11:59 pm UTC-11",
        "UTC-11",
    )
    assert deadlines.to_the_second(
        HAET_LAST_MINUTE + timedelta(seconds=12), "UTC-11"
    ) == (
        "27 May 2022, 23:59:12 UTC-11",
        "28 May 2022, 10:59:12 UTC",
    )


@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def test_writing_does_not_depend_on_the_server_zone(settings, server_zone):
    settings.TIME_ZONE = server_zone
    from django.utils import timezone

    with timezone.override(server_zone):
        local = HAET_CLOSES.astimezone(timezone.get_current_timezone())
        assert deadlines.describe_deadline(local, "UTC-11") == (
            "27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC)"
        )


def test_aoe_is_anywhere_on_earth_utc_minus_12_and_utc_minus_11_is_not_aoe():
    assert parse_zone("AoE").utcoffset(None) == timedelta(hours=-12)
    assert parse_zone("anywhere on earth").utcoffset(None) == timedelta(hours=-12)
    assert zone_label("AoE", HAET_CLOSES) == "AoE (UTC-12)"
    assert zone_label("UTC-11", HAET_CLOSES) == "UTC-11"
    # The same instant is an hour earlier on the wall clock at AoE than at UTC-11.
    assert deadlines.describe_deadline(HAET_CLOSES, "AoE") == (
        "27 May 2022, 10:59 pm AoE (UTC-12) (28 May 2022 10:59 UTC)"
    )
    assert "AoE" not in deadlines.describe_deadline(HAET_CLOSES, "UTC-11")


def test_iana_zones_are_labelled_with_their_abbreviation_of_that_day():
    assert zone_label("Europe/Paris", datetime(2022, 7, 1, tzinfo=UTC)) == "CEST"
    assert zone_label("Europe/Paris", datetime(2022, 1, 1, tzinfo=UTC)) == "CET"
    # A zone without an abbreviation gets "UTC" before its offset, never a bare "-03".
    assert zone_label("America/Sao_Paulo", HAET_CLOSES) == "UTC-03"
    with pytest.raises(ValidationError):
        parse_zone("Mars/Olympus")


def test_form_fields_show_iso_values_a_browser_input_can_display():
    day = deadlines.day_field()
    clock = deadlines.clock_field()
    assert 'value="2022-06-30"' in day.widget.render("d", date(2022, 6, 30))
    assert 'type="date"' in day.widget.render("d", date(2022, 6, 30))
    assert 'value="23:59"' in clock.widget.render("c", time(23, 59))


def test_local_parts_and_combine_are_inverse_in_the_conference_zone():
    day, clock = deadlines.local_parts(HAET_LAST_MINUTE, "UTC-11")
    assert (day, clock) == (date(2022, 5, 27), time(23, 59))
    assert deadlines.combine(day, clock, "UTC-11") == HAET_LAST_MINUTE


def test_the_zone_is_stated_next_to_a_form_date():
    assert deadlines.zone_note("UTC-11") == "In the conference's zone, UTC-11."
    assert deadlines.zone_note("AoE") == "In the conference's zone, AoE (UTC-12)."


@pytest.mark.django_db
def test_a_chair_can_pick_aoe_and_every_deadline_is_labelled_utc_minus_12(
    client, conference, chair
):
    client.force_login(chair)
    form = client.get(reverse("chair-conference")).context["form"]
    data = {
        k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields
    }
    data["time_zone"] = "AoE"

    assert client.post(reverse("chair-conference"), data).status_code == 302

    conference.refresh_from_db()
    assert conference.time_zone == "AoE"
    page = client.get(reverse("chair-dates")).content.decode()
    # The same instant as 27 May 23:59 UTC-11, an hour earlier at UTC-12.
    assert "27 May 2022, 10:59 pm AoE (UTC-12)" in page
    assert "28 May 2022 10:59 UTC" in page
    assert "anywhere on earth" not in page.lower().replace("aoe (anywhere", "")
    edit = client.get(reverse("chair-date-edit", args=[conference.date("review").pk]))
    assert "In the conference's zone, AoE (UTC-12)." in unescape(edit.content.decode())


@pytest.mark.django_db
def test_haet_itself_is_utc_minus_11_and_never_called_aoe(client, conference):
    assert conference.time_zone == "UTC-11"
    home = client.get(reverse("home")).content.decode()
    assert "11:59 pm UTC-11" in home
    assert "AoE" not in home
    assert "anywhere on earth" not in home.lower()


def test_the_deadline_tag_marks_up_the_instant_for_the_viewers_own_time():
    page = Template(
        "{% load haet %}{% deadline closes where %}|{% deadline closes where %}|"
        "{% moment at where compact=True %}"
    ).render(Context({"closes": HAET_CLOSES, "where": "UTC-11", "at": HAET_CLOSES}))
    first, second, compact = page.split("|")
    assert (
        '<time datetime="2022-05-28T10:59:00Z">27 May 2022, 11:59 pm UTC-11</time>'
        in (first)
    )
    assert "(28 May 2022 10:59 UTC)" in first
    assert 'data-viewer-time="2022-05-28T10:59:00Z" hidden' in first
    # The script that fills in the viewer's time comes once, where it is needed.
    assert first.count("haet/moments.js") == 1
    assert "moments.js" not in second
    # A moment is the instant itself (a deadline is its last open minute).
    assert compact == (
        '<time datetime="2022-05-28T11:00:00Z" title="28 May 2022 11:00 UTC">'
        "28 May 2022, 12:00 am UTC-11</time>"
    )


@pytest.mark.django_db
def test_a_new_time_zone_keeps_whole_days_and_says_how_deadlines_read(
    client, conference, chair
):
    """UTC-11 to UTC+13: the notification and the workshop keep their day
    (they moved to the next day before), on the call for papers and in the
    calendar; the deadline keeps its instant, and the chair is told how it
    reads now."""
    deadline = conference.date("submission").at
    client.force_login(chair)
    form = client.get(reverse("chair-conference")).context["form"]
    data = {
        k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields
    }
    data["time_zone"] = "UTC+13"

    response = client.post(reverse("chair-conference"), data, follow=True)

    dates = {d.kind: d for d in ImportantDate.objects.filter(conference=conference)}
    assert dates["notification"].local_at.date().isoformat() == "2022-06-13"
    assert dates["workshop"].local_at.date().isoformat() == "2022-07-23"
    assert dates["submission"].at == deadline
    told = unescape(response.content.decode())
    assert "Whole-day dates keep their day in the new time zone" in told
    assert "Paper submission deadline: 28 May 2022, 23:59 UTC+13" in told
    home = client.get(reverse("home")).content.decode()
    assert "13 June 2022" in home
    assert "14 June 2022" not in home

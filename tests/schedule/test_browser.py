"""The workshop day in a real browser: a chair builds the day, fills the orals,
publishes and drags a talk to another session (its presenter gets one mail); the
public timetable read from two time zones, with and without JavaScript."""

import re

import pytest
from django.core import mail

from schedule.models import Item
from schedule.services import fill_orals, publish_schedule
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_session(page, title, start, end, room):
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Start").fill(start)
    page.get_by_label("End").fill(end)
    page.get_by_label("Room").fill(room)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/schedule/chair/$"))


def add_oral_slot(page, session_title, start, end):
    section = page.locator(".editor-session", has_text=session_title)
    section.get_by_role("link", name="Add item").click()
    page.get_by_label("Kind").select_option("oral")
    page.get_by_label("Start").fill(start)
    page.get_by_label("End").fill(end)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/schedule/chair/$"))


def test_chair_builds_the_day_fills_orals_and_drags_a_talk(page, day, artifacts):
    day.release()
    log_in(page, day.chair.email, PASSWORD)
    nav_click(page, "Schedule")
    page.wait_for_url(re.compile(r"/schedule/chair/$"))

    # A mistyped zone comes back as typed, with the reason; nothing is saved.
    zone = page.get_by_label("Venue time zone")
    stored = zone.input_value()
    zone.fill("Europe/Viena")
    settings = page.locator("form", has=zone)
    settings.get_by_role("button", name="Save").click()
    assert page.get_by_label("Venue time zone").input_value() == "Europe/Viena"
    assert page.get_by_text("'Europe/Viena' is not a time zone").is_visible()
    page.get_by_label("Venue time zone").fill(stored)
    settings.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/schedule/chair/$"))
    assert page.get_by_text("Schedule settings saved.").is_visible()

    add_session(page, "Morning orals", "10:00", "11:00", "Room 310")
    add_session(page, "Late orals", "14:00", "15:00", "Room 311")
    add_oral_slot(page, "Morning orals", "10:00", "10:20")
    add_oral_slot(page, "Morning orals", "10:20", "10:40")
    # Two accepted orals have no place yet: the chairs are told.
    assert page.locator(".warning-unplaced").count() == 4

    page.get_by_label("Fill empty oral slots with accepted orals").select_option(
        "number"
    )
    page.get_by_role("button", name="Fill orals").click()
    page.wait_for_url(re.compile(r"/schedule/chair/$"))
    assert page.get_by_text("2 oral slots filled.").is_visible()
    labels = page.locator(".editor-item .item-label").all_inner_texts()
    assert labels == [
        "#1 Sparse training of transformers on FPGAs",
        "#3 Low-precision optimisers at scale",
    ]

    page.get_by_role("button", name="Publish the schedule").click()
    page.wait_for_url(re.compile(r"/schedule/chair/$"))
    mail.outbox.clear()

    # Drag #1 onto the afternoon session: it goes to the session's free time.
    talk = page.locator(".editor-item", has_text="#1 Sparse training")
    afternoon = page.locator(".editor-session h2", has_text="Late orals")
    talk.locator(".item-label").drag_to(afternoon)
    page.wait_for_selector("text=Moved from 10:00 to 14:00.")
    page.screenshot(path=str(artifacts / "schedule-editor.png"), full_page=True)

    moved = Item.objects.get(submission=day.submission)
    assert moved.session.title == "Late orals"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([day.author.email], "[HAET 2022] Your oral presentation moved to 14:00")
    ]
    assert "moved from 10:00 to 14:00 (EDT), Room 311" in mail.outbox[0].body


def open_timetable(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/schedule/")
    return context, page


@pytest.mark.parametrize(
    ("zone", "viewer_time"),
    [("America/New_York", None), ("Europe/Paris", "(16:00 your time)")],
)
def test_the_public_timetable_shows_venue_and_viewer_time(
    browser, live_server, day, zone, viewer_time
):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    day.release()
    publish_schedule(day.schedule, by=day.chair)

    context, page = open_timetable(browser, live_server, timezone_id=zone)
    first = page.locator("tbody tr").first
    shown = first.locator("th").inner_text()
    note_shown = page.locator("[data-viewer-zone]").first.is_visible()
    context.close()

    # 10:00 in Baltimore (EDT) is 16:00 in Paris (CEST) that day.
    if viewer_time is None:
        assert (shown, note_shown) == ("10:00", False)
    else:
        assert (shown, note_shown) == (f"10:00 {viewer_time}", True)


def test_without_javascript_the_venue_time_stays(browser, live_server, day):
    day.build()
    day.release()
    publish_schedule(day.schedule, by=day.chair)

    context, page = open_timetable(
        browser, live_server, timezone_id="Asia/Tokyo", java_script_enabled=False
    )
    shown = page.locator("tbody tr").first.locator("th").inner_text()
    context.close()

    assert shown == "10:00"

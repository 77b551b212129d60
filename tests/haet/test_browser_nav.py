"""The main navigation in a browser (issue 14 item 15): one line at 1366 px for the
person with the most links (a chair who reviews and sits on a jury, with a long
address); folded behind "Menu" on a 390 px phone, opened by a click or by Enter,
with no script at all."""

import re

import pytest

from awards.models import AwardSettings
from haet.models import Conference
from haet.services import set_role
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_chair(conference):
    user = UserFactory(
        email="christina.chair-long-name@university.example.org",
        name="Christina Chair",
        role="chair",
    )
    set_role(user, "reviewer", granted=True)
    AwardSettings.objects.first().jury.add(user)
    return user


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def test_one_line_at_1366_and_the_menus_open(page, busy_chair, artifacts):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, busy_chair.email)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_text("My work").is_visible()
    assert nav.get_by_text("Chair", exact=True).is_visible()

    assert header_height(page) < 60
    assert nav.bounding_box()["height"] < 60
    page.screenshot(path=artifacts / "nav-1366.png")

    # The chair's pages sit in one menu; the schedule is one of them.
    assert not nav.get_by_role("link", name="Schedule").is_visible()
    nav_click(page, "Schedule")
    page.wait_for_url(re.compile(r"/schedule/chair/$"))
    nav.get_by_text("Chair", exact=True).click()
    schedule = nav.get_by_role("link", name="Schedule")
    assert schedule.get_attribute("aria-current") == "page"
    # Opening another menu closes this one (<details name>, no script).
    nav.get_by_text("My work").click()
    assert nav.get_by_role("link", name="Reviewing").is_visible()
    assert not schedule.is_visible()
    page.screenshot(path=artifacts / "nav-1366-open.png")


def test_folded_on_a_phone_and_opened_by_click_or_enter(page, busy_chair, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, busy_chair.email)
    nav = page.get_by_role("navigation", name="Main")
    menu = page.locator("summary.nav-toggle")

    assert menu.is_visible()
    assert not nav.get_by_role("link", name="Call for papers").is_visible()
    assert header_height(page) < 70
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    menu.click()
    assert nav.get_by_role("link", name="Call for papers").is_visible()
    page.screenshot(path=artifacts / "nav-390-open.png")
    menu.click()
    assert not nav.get_by_role("link", name="Call for papers").is_visible()

    # By keyboard: Tab past the skip link and the brand to "Menu", then Enter.
    menu.focus()
    page.keyboard.press("Enter")
    assert nav.get_by_role("link", name="Call for papers").is_visible()
    nav.get_by_text("Chair", exact=True).focus()
    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Decisions").click()
    page.wait_for_url(re.compile(r"/decisions/$"))
    assert not nav.get_by_role("link", name="Call for papers").is_visible()


def test_works_without_javascript(browser, live_server, busy_chair):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    try:
        log_in(page, busy_chair.email)
        page.locator("summary.nav-toggle").click()
        nav = page.get_by_role("navigation", name="Main")
        nav_click(page, "Log out", role="button")
        page.wait_for_url(re.compile(r"/$"))
        page.locator("summary.nav-toggle").click()
        assert nav.get_by_role("link", name="Log in").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_long_acronym_is_cut_not_pushing_the_menu_off_the_page(
    page, busy_chair, width
):
    """Another workshop's acronym may hold 40 characters: the brand gives way
    (an ellipsis, its full name as the title); the menus stay on the page."""
    conference = Conference.objects.current()
    conference.acronym = "ÉCO-ÉNERGÉTIQUE·APPRENTISSAGE·NeurIPS27"
    conference.save()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, busy_chair.email)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    brand = page.locator("a.brand")
    assert brand.get_attribute("title") == conference.name
    assert brand.evaluate("b => b.scrollWidth > b.clientWidth")  # cut, not wrapped
    last = (
        page.locator("summary.nav-toggle")
        if width < 700
        else page.locator(".nav-account summary")
    )
    box = last.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= width
    assert header_height(page) < 70

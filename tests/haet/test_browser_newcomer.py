"""A newcomer reads the call for papers, signs up, verifies, logs in."""

import re

import pytest
from django.core import mail

from tests.browser_nav import nav_click

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_reads_dates_signs_up_verifies_and_logs_in(
    page, conference, artifacts
):
    page.goto("/")
    dates = page.locator("#dates")
    assert "Paper submission deadline" in dates.inner_text()
    assert page.locator("#date-submission s").first.inner_text() == "20 May 2022"
    assert "27 May 2022" in page.locator("#date-submission .when").inner_text()
    assert "28 May 2022 10:59 UTC" in page.locator("#date-submission .utc").inner_text()
    # The script adds the viewer's local time next to each deadline, unless the
    # viewer's clock reads UTC there (the page says the UTC time already).
    in_utc = page.evaluate("new Date('2022-05-28T10:59:00Z').getTimezoneOffset()") == 0
    local = page.locator("#date-submission time[data-local]")
    assert local.is_visible() is not in_utc
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)

    page.get_by_role("link", name="Sign up").first.click()
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password1]", "a-long-pass-phrase-42")
    page.fill("input[name=password2]", "a-long-pass-phrase-42")
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))

    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_url(re.compile("/$"))

    nav_click(page, "Log out", role="button")
    page.wait_for_url(re.compile("/$"))
    assert page.get_by_role("link", name="Log in", exact=True).is_visible()
    page.get_by_role("link", name="Log in", exact=True).click()
    page.fill("input[name=login]", "newcomer@example.org")
    page.fill("input[name=password]", "a-long-pass-phrase-42")
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_text("newcomer@example.org").is_visible()  # the account menu
    assert "Successfully signed in" in page.locator(".messages").inner_text()

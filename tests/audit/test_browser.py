"""Issue 15 in a real browser: a chair opens a submission's timeline from its page,
then the site-wide log, and filters it."""

import re

import pytest

from tests.a11y import assert_accessible
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_opens_a_timeline_and_filters_the_log(page, history, artifacts):
    log_in(page, history.chair.email, PASSWORD)

    page.goto("/submissions/chair/1/")
    page.get_by_role("link", name=re.compile("^Timeline")).click()
    page.wait_for_url(re.compile(r"/chair/audit/submissions/1/$"))
    assert page.locator("h1").inner_text() == "Timeline of #1"
    table = page.locator("table").inner_text()
    for action in ("submission.created", "review.created", "decision.created"):
        assert action in table
    assert "accept_oral" in table
    assert "A note about" in table  # the mail linked to #1
    page.screenshot(path=artifacts / "audit-timeline.png", full_page=True)

    page.get_by_role("link", name="Audit log").first.click()
    page.wait_for_url(re.compile(r"/chair/audit/$"))
    assert page.locator("h1").inner_text() == "Audit log"
    page.get_by_label("Action", exact=True).select_option("decision.created")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"action=decision.created"))
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "decision.created" in rows.first.inner_text()

    page.get_by_label("Submission number").fill("2")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"submission=2"))
    assert rows.count() == 1
    assert "#2" in rows.first.inner_text()
    csv_link = page.get_by_role("link", name="Download as CSV")
    assert "action=decision.created" in (csv_link.get_attribute("href") or "")

    # A number that does not exist: said so, and what was typed stays.
    page.get_by_label("Submission number").fill("99")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"submission=99"))
    assert "There is no submission #99 to show." in page.content()
    assert page.get_by_label("Submission number").input_value() == "99"
    assert page.get_by_label("Action", exact=True).input_value() == "decision.created"
    page.screenshot(path=artifacts / "audit-log.png", full_page=True)


def test_the_audit_pages_pass_the_accessibility_audit(page, history):
    log_in(page, history.chair.email, PASSWORD)
    for url in ("/chair/audit/submissions/1/", "/chair/audit/"):
        page.goto(url)
        assert_accessible(page, f"{url} ")

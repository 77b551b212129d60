"""Issue 14, items 5 and 6 in a real browser: a bulk decision is chosen, confirmed
on a page naming the submissions, and undone; the release page is read as a summary,
its samples paged through, and the release confirmed with its count."""

import re

import pytest
from django.core import mail

from decisions.models import Decision
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in
from tests.factories import SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def four_submissions(conference, author):
    other = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    for number in range(1, 5):
        SubmissionFactory(
            conference=conference,
            number=number,
            contact=author if number == 1 else other,
            authors=[(f"Co Author {number}", f"co{number}@example.net", "Lab")],
            title=f"Efficient training, part {number}",
        )


def outcomes() -> dict[int, str]:
    return dict(Decision.objects.values_list("submission__number", "outcome"))


def test_bulk_decide_confirm_then_undo(page, settings, chair, four_submissions):
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"
    log_in(page, chair.email, PASSWORD)
    page.goto("/decisions/")

    # No decision is preselected: the menu asks for one.
    assert page.locator("#bulk-outcome").input_value() == ""
    page.get_by_label("Select #2").check()
    page.get_by_label("Select #4").check()
    page.select_option("#bulk-outcome", "reject")
    page.get_by_role("button", name="Review the change…").click()

    # The confirmation names the submissions; nothing is decided yet.
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Set 2 submissions to Reject?"
    listed = page.locator(".bulk-numbers li strong").all_inner_texts()
    assert listed == ["#2", "#4"]
    assert outcomes() == {}
    page.get_by_role("button", name="Set 2 submissions to Reject").click()
    # A background job (issue 14, item 10): its page says what changed.
    assert page.locator("h1").inner_text() == "Deciding in bulk: Done"
    assert "Reject: #2, #4. 2 decisions changed." in (
        page.locator("#job-summary").inner_text()
    )
    assert outcomes() == {2: "reject", 4: "reject"}

    # Back on the dashboard, it offers the undo until release.
    page.get_by_role("link", name="Back to decisions").first.click()
    undo = page.locator("form.bulk-undo")
    assert "Your last bulk decision: Reject on #2, #4" in undo.inner_text()
    undo.get_by_role("button", name="Undo").click()
    assert page.locator("h1").inner_text() == "Undoing a bulk decision: Done"
    assert "Undone: #2, #4" in page.locator("#job-summary").inner_text()
    page.get_by_role("link", name="Back to decisions").first.click()
    assert page.locator("form.bulk-undo").count() == 0
    assert outcomes() == {}


def test_release_summary_samples_and_confirmation(
    page, settings, chair, four_submissions, artifacts
):
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"
    log_in(page, chair.email, PASSWORD)
    page.goto("/decisions/")
    for number in (1, 2, 3, 4):
        page.get_by_label(f"Select #{number}").check()
    page.select_option("#bulk-outcome", "accept_poster")
    page.get_by_role("button", name="Review the change…").click()
    page.get_by_role("button", name="Set 4 submissions to Accept (poster)").click()
    page.get_by_role("link", name="Back to decisions").first.click()  # from the job

    # The summary: 8 mails (2 authors each; Olga has 3), per outcome and template.
    page.get_by_role("link", name="Release", exact=True).click()
    summary = page.locator("#release-summary").inner_text()
    assert "4 decisions visible to their authors and sends 8 mails to 6" in summary
    rows = page.locator("table.release-outcomes tbody tr").all_inner_texts()
    assert len(rows) == 1
    assert re.match(r"Accept \(poster\)\s+\[\{\{ conference \}\}\].*\s+4\s+8", rows[0])
    assert page.locator("article.mail-preview").count() == 3
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000  # one screenful or two, not every mail
    page.screenshot(path=artifacts / "decisions-release-summary.png", full_page=True)

    # Page through the samples.
    assert page.locator("#sample-position").inner_text() == "Mails 1 to 3 of 8"
    page.get_by_role("link", name="Next").click()
    assert page.locator("#sample-position").inner_text() == "Mails 4 to 6 of 8"
    page.get_by_role("link", name="Next").click()
    assert page.locator("#sample-position").inner_text() == "Mails 7 to 8 of 8"
    assert page.locator("article.mail-preview").count() == 2
    assert page.get_by_role("link", name="Next").count() == 0

    # Send: the button works only once the count is confirmed.
    send = page.get_by_role("button", name="Send 8 mails")
    send.click()  # the required box stops the browser: nothing is sent
    assert mail.outbox == []
    assert Decision.objects.released().count() == 0
    page.get_by_label("Send 8 mails to 6 recipients about 4 decisions, now").check()
    send.click()
    assert "Released 4 decisions; 8 mails" in (
        page.locator("#job-summary").inner_text()
    )
    assert len(mail.outbox) == 8
    assert Decision.objects.released().count() == 4

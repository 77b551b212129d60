"""A chair edits one decision mail on the release preview, in a real browser, and
the preview marks it "edited" with the new text (issue 14 item 14)."""

import re

import pytest

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in
from tests.factories import SubmissionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chair_edits_one_mail_from_the_preview(
    page, conference, chair, author, artifacts
):
    for number in (1, 2):
        submission = SubmissionFactory(
            conference=conference, number=number, contact=author
        )
        decide(submission, Outcome.REJECT, by=chair)
    log_in(page, chair.email, PASSWORD)
    page.goto("/decisions/release/")

    page.get_by_role("link", name="Edit this mail (#1)").click()
    page.wait_for_url(re.compile(r"/decisions/release/1/mail/$"))
    body = page.get_by_label("Text")
    assert "Dear Ada Author" in body.input_value()
    page.get_by_label("Subject").fill("[HAET 2022] About #1, personally")
    body.fill("Dear Ada,\n\nA personal word about #1.\n\nThe chairs")
    page.get_by_role("button", name="Save this mail").click()

    page.wait_for_url(re.compile(r"/decisions/release/$"))
    first = page.locator("article.mail-preview", has_text="#1 ·")
    assert "edited" in first.inner_text()
    assert "A personal word about #1." in first.inner_text()
    second = page.locator("article.mail-preview", has_text="#2 ·")
    assert "edited" not in second.inner_text()
    page.screenshot(path=artifacts / "release-edited-mail.png", full_page=True)
    assert Decision.objects.get(submission__number=1).has_edited_mail

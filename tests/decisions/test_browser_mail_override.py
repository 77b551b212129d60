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


def test_a_chair_puts_back_the_meta_review_the_release_would_leave_out(
    page, conference, chair, author, artifacts
):
    from decisions.mail_templates import mail_templates, save_mail_template
    from decisions.meta_reviews import save_meta_review

    # The poster text as saved before meta-reviews existed.
    template = mail_templates(conference)[Outcome.ACCEPT_POSTER]
    save_mail_template(
        template,
        subject=template.subject,
        body="Dear {{ author_name }},\n\nAccepted as a poster.\n\n{{ reviews }}",
        by=chair,
    )
    submission = SubmissionFactory(conference=conference, number=1, contact=author)
    save_meta_review(submission, to_authors="Strong FPGA results.", by=chair)
    decide(submission, Outcome.ACCEPT_POSTER, by=chair)
    log_in(page, chair.email, PASSWORD)
    page.goto("/decisions/release/")

    warning = page.locator("#left-out-meta_review")
    assert "#1 has a meta-review for the authors" in warning.inner_text()
    assert (
        "Strong FPGA results."
        not in page.locator("article.mail-preview").first.inner_text()
    )
    warning.get_by_role("link", name="Edit the decision mails").click()
    page.wait_for_url(re.compile(r"/decisions/mails/$"))
    poster = page.locator("fieldset", has_text="Accept (poster)")
    assert "This text has no {{ meta_review }}" in poster.inner_text()
    body = poster.get_by_label("Body")
    body.fill(
        body.input_value().replace(
            "{{ reviews }}", "{{ meta_review }}\n\n{{ reviews }}"
        )
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/decisions/mails/$"))
    poster = page.locator("fieldset", has_text="Accept (poster)")
    assert "This text has no" not in poster.inner_text()

    page.goto("/decisions/release/")
    assert page.locator("#left-out-meta_review").count() == 0
    assert (
        "Strong FPGA results."
        in page.locator("article.mail-preview").first.inner_text()
    )
    page.screenshot(path=artifacts / "release-meta-review-back.png", full_page=True)

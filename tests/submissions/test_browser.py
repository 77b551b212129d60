"""The author's journey in Chromium: draft, a rejected over-length PDF, submit."""

import re

import pytest
from django.core import mail

from submissions.models import Submission
from tests.conftest import PASSWORD
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_author_rows_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_author_journey(page, conference, author, pdfs, tmp_path, settings, artifacts):
    settings.HAET_NOW = BEFORE_DEADLINE  # a week before the deadline, clock running
    too_long = tmp_path / "too-long.pdf"
    too_long.write_bytes(pdfs["too_long"])
    good = tmp_path / "paper.pdf"
    good.write_bytes(pdfs["good"])

    page.goto("/accounts/login/")
    page.fill("input[name=login]", author.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))
    nav = page.get_by_role("navigation", name="Main")

    nav.get_by_role("link", name="My submissions").click()
    assert "closes in 1\xa0week" in page.locator(".deadline").inner_text()
    page.get_by_role("link", name="New submission").click()
    page.fill("input[name=title]", "Sparse Training on a Budget")
    page.fill("textarea[name=abstract]", "We train sparse networks with less energy.")
    page.fill("input[name=keywords]", "sparsity, energy")
    page.locator("input[name=topics]").nth(0).check()
    page.locator("input[name=topics]").nth(2).check()
    assert page.input_value("input[name=authors-0-email]") == author.email
    page.fill("input[name=authors-1-name]", "Cora Coauthor")
    page.fill("input[name=authors-1-email]", "cora@example.org")
    page.fill("input[name=authors-1-affiliation]", "Uni B")
    page.check("input[name=not_accepted_at_main]")
    page.check("input[name=include_in_proceedings][value=yes]")
    page.fill("textarea[name=conflicts]", "rival.example.edu")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/submissions/1/$"))
    assert "Saved the draft #1" in page.locator(".messages").inner_text()
    assert mail.outbox[-1].to == ["cora@example.org"]

    page.get_by_role("link", name="Edit or replace the PDF").click()
    page.set_input_files("input[name=pdf]", str(too_long))
    page.get_by_role("button", name="Save draft").click()
    rejected = page.locator(".check-rejected")
    assert "over_page_limit" in rejected.inner_text()
    assert "The main body has 5 pages; the limit is 4" in rejected.inner_text()
    assert page.input_value("input[name=title]") == "Sparse Training on a Budget"
    page.screenshot(
        path=str(artifacts / "submissions-rejected-pdf.png"), full_page=True
    )
    draft = Submission.objects.get()
    assert (draft.title, draft.state, draft.current_version) == (
        "Sparse Training on a Budget",
        "draft",
        None,
    )

    page.set_input_files("input[name=pdf]", str(good))
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/submissions/1/$"))
    assert "Submitted #1" in page.locator(".messages").inner_text()
    submission = Submission.objects.get()
    receipt = mail.outbox[-1]
    assert receipt.subject.endswith(
        "Receipt for submission #1: Sparse Training on a Budget"
    )
    assert submission.current_version.sha256 in receipt.body
    assert "UTC-11" in receipt.body

    nav.get_by_role("link", name="My submissions").click()
    row = page.locator("table.submissions tbody tr").first
    assert "#1" in row.inner_text()
    assert "Submitted" in row.inner_text()
    assert submission.current_version.sha256[:16] in row.inner_text()
    page.screenshot(
        path=str(artifacts / "submissions-author-journey.png"), full_page=True
    )


def test_a_wrong_file_is_named_with_the_forms_other_errors(
    page, conference, author, tmp_path, settings
):
    settings.HAET_NOW = BEFORE_DEADLINE
    docx = tmp_path / "paper.pdf"  # a Word file saved under the wrong name
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    log_in(page, author.email)

    page.goto("/submissions/new/")
    page.fill("input[name=title]", "Typed before the mistake")
    page.set_input_files("input[name=pdf]", str(docx))
    page.get_by_role("button", name="Submit").click()

    summary = page.locator("#error-summary").inner_text()
    assert "Submitting needs the abstract." in summary
    assert "it looks like a ZIP archive or an Office document (.docx)" in summary
    assert page.input_value("input[name=title]") == "Typed before the mistake"
    assert not Submission.objects.exists()

"""A reviewer uploads a PDF of their own paper in a real browser, sees the title
read from it listed, and that paper then counts in their expertise."""

import re

import pytest

from reviews.affinity import compute_affinity
from reviews.models import ReviewerPublication, ReviewSettings
from tests.conftest import PASSWORD
from tests.factories import SubmissionFactory
from tests.submissions.pdf_factory import build_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Sparse Training on Reconfigurable Hardware"


def test_reviewer_uploads_a_pdf_of_their_paper(
    page, conference, author, reviewer, tmp_path
):
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training on reconfigurable hardware",
    )
    paper = build_paper(tmp_path / "sparse-fpga.pdf", title=TITLE)
    settings = ReviewSettings(weight_bid=0.0, weight_topic=0.0, weight_text=1.0)
    before = compute_affinity([submission], [reviewer], review_settings=settings)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", reviewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/reviews/profile/")
    page.get_by_role("link", name=re.compile("your publications", re.I)).click()
    page.set_input_files("input[name=pdfs]", files=[str(paper)])
    page.get_by_role("button", name="Read PDFs").click()

    page.wait_for_selector(f"text=Read 1 PDF: “{TITLE}”.")
    papers = page.locator("table.publications").inner_text()
    assert TITLE in papers
    assert "PDF (sparse-fpga.pdf)" in papers
    assert ReviewerPublication.objects.get().source == "pdf"
    after = compute_affinity([submission], [reviewer], review_settings=settings)
    assert before.text[0, 0] == 0.0
    assert after.text[0, 0] > 0.0

"""A reviewer's work in Chromium: the dashboard, the PDF download (a PDF naming no
author), the review, the others' reviews signed "Reviewer N", the discussion.

The data is built with the services: the author submits a PDF whose metadata names
them, the chair assigns two reviewers, the second one reviews first.
"""

import re

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haet.models import AwardCategory, Topic
from reviews.assigning import assign_reviewer
from reviews.models import Review, ReviewSettings
from reviews.reviewing import save_review
from submissions.submitting import SubmissionData, save_submission
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.reviews.conftest import (
    LEAK_AFFILIATION,
    LEAK_EMAIL,
    LEAK_NAME,
    REVIEW_TIME,
    SECOND_NAME,
    answers,
)
from tests.reviews.test_leaks import found, make_leaky_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEFORE_DEADLINE = "2022-05-20T12:00:00Z"
TITLE = "Sparse training of transformers on FPGAs"


def build(conference, author, chair, settings, tmp_path):
    settings.HAET_NOW = BEFORE_DEADLINE
    submission = save_submission(
        None,
        SubmissionData(
            title=TITLE,
            abstract="We train sparse transformers on FPGA boards with less energy.",
            keywords="sparsity, FPGA",
            topics=list(Topic.objects.filter(conference=conference)[:1]),
            authors=[
                {"name": author.name, "email": author.email, "affiliation": "Uni A"},
                {
                    "name": LEAK_NAME,
                    "email": LEAK_EMAIL,
                    "affiliation": LEAK_AFFILIATION,
                },
            ],
            not_accepted_at_main=True,
        ),
        conference=conference,
        by=author,
        pdf=SimpleUploadedFile(
            f"{LEAK_NAME}.pdf", make_leaky_pdf(tmp_path), "application/pdf"
        ),
        submit=True,
    )
    settings.HAET_NOW = REVIEW_TIME
    reviewer = UserFactory(
        email="rita@rev.example.net", name="Rita Reviewer", role="reviewer"
    )
    second = UserFactory(
        email="sigrid@lab.example.net", name=SECOND_NAME, role="reviewer"
    )
    assignment, _ = assign_reviewer(submission, reviewer, by=chair)
    second_assignment, _ = assign_reviewer(submission, second, by=chair)
    save_review(
        second_assignment,
        answers(score=-1, summary="Second opinion: one benchmark is not enough."),
        by=second,
        submit=True,
    )
    ReviewSettings.objects.update_or_create(
        conference=conference, defaults={"is_discussion_open": True}
    )
    return reviewer, assignment


def test_reviewer_downloads_reviews_and_discusses(
    page, conference, author, chair, settings, tmp_path, artifacts
):
    reviewer, assignment = build(conference, author, chair, settings, tmp_path)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", reviewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))
    nav_click(page, "Reviewing")
    row = page.locator("table.assignments tr#a1")
    assert "Reviewer 1" in row.inner_text()
    assert "not started" in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile("/reviews/1/$"))

    # The reviewer copy: a PDF named by number, naming nobody.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the paper (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "HAET2022-1.pdf"
    data = open(download.path(), "rb").read()  # noqa: SIM115
    assert data.startswith(b"%PDF")
    assert found(data) == []
    with pikepdf.open(download.path()) as pdf:
        assert found(str(dict(pdf.docinfo.items()))) == []
        assert found(str(pdf.open_metadata())) == []

    # Before reviewing, the other review stays hidden.
    assert "Second opinion" not in page.locator("#reviews ~ *").first.inner_text()

    # The review: score, confidence, texts, a nomination; then submit.
    page.locator("input[name=q_score][value='2']").check()
    page.locator("input[name=q_confidence][value='4']").check()
    page.fill("textarea[name=q_summary]", "Sparse transformers trained on FPGAs.")
    page.fill("textarea[name=q_strengths]", "Careful energy measurements.")
    page.fill("textarea[name=q_weaknesses]", "A single benchmark.")
    page.fill("textarea[name=q_comments]", "Please add a second benchmark.")
    page.fill("textarea[name=q_confidential]", "Leaning accept.")
    best = AwardCategory.objects.order_by("order", "pk").first()
    page.get_by_label(best.name).check()
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_url(re.compile("/reviews/1/#reviews$"))
    assert "Review submitted" in page.locator(".messages").inner_text()
    review = Review.objects.get(assignment=assignment)
    assert (review.state, review.score, review.confidence) == ("submitted", 2, 4)
    assert list(review.nominations.values_list("award", flat=True)) == [best.pk]

    # Now the other review, signed by pseudonym.
    other = page.locator("article.review").filter(has_text="Reviewer 2")
    assert "Second opinion: one benchmark is not enough." in other.inner_text()
    assert "-1 Weak reject" in other.inner_text()

    # The discussion.
    page.fill(
        "textarea[name=body]", "Reviewer 2, would a second benchmark convince you?"
    )
    page.get_by_role("button", name="Post").click()
    page.wait_for_url(re.compile("/reviews/1/#discussion$"))
    post = page.locator("ol.posts li.post").last
    assert "Reviewer 1" in post.inner_text()
    assert "would a second benchmark convince you?" in post.inner_text()

    html = page.content()
    assert found(html) == []
    assert SECOND_NAME not in html
    page.screenshot(path=str(artifacts / "reviews-reviewing.png"), full_page=True)

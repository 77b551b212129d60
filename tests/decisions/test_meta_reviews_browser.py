"""Meta-reviews in a real browser: a chair writes one, releases the decision, and
the author reads it on the submission page and in the decision mail; an area chair
opens their submission, reads the reviews and the discussion, and writes the
meta-review; a meta-review changed after the release mails the author."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from decisions.deciding import decide
from decisions.models import MetaReview, Outcome
from reviews.assigning import assign_reviewer
from reviews.reviewing import post_to_discussion
from tests.browser_nav import log_out, nav_click
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

META = "All three reviewers value the FPGA results; please add the ablation."
NOTE = "Reviewer 2 was lukewarm; I side with the majority."
REVIEW = "Solid measurements on real boards."
UPDATED = "Having read the rebuttal, we also ask for the energy figures."
POST = "I can live with acceptance if the ablation is added."


def reviewed_submission(conference, chair, author):
    reviewer = UserFactory(
        email="rev@lab.example.net", name="Rita Reviewer", role="reviewer"
    )
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training on FPGAs",
    )
    assignment, _ = assign_reviewer(submission, reviewer, by=chair, notify=False)
    ReviewFactory(assignment=assignment, score=2, comments=REVIEW)
    post_to_discussion(submission, POST, by=chair)
    return submission


def open_meta_review(page):
    page.goto("/decisions/1/")
    page.get_by_role("link", name="Meta-review", exact=True).click()


def save_to_authors(page, text: str):
    page.get_by_label("To the authors").fill(text)
    page.get_by_role("button", name="Save the meta-review").click()
    assert "Meta-review of #1 saved." in page.locator(".messages").inner_text()


def test_chair_writes_a_meta_review_and_the_author_reads_it_after_release(
    page, conference, chair, author, settings, artifacts
):
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"
    submission = reviewed_submission(conference, chair, author)
    decide(submission, Outcome.ACCEPT_POSTER, by=chair)

    log_in(page, chair.email, PASSWORD)
    open_meta_review(page)
    # Nothing typed is lost when the text to the authors is missing.
    page.get_by_label("Note to the chairs (optional)").fill(NOTE)
    page.get_by_role("button", name="Save the meta-review").click()
    assert "Write the meta-review to the authors." in page.locator("main").inner_text()
    assert page.get_by_label("Note to the chairs (optional)").input_value() == NOTE
    save_to_authors(page, META)
    page.screenshot(path=artifacts / "meta-review-edit.png", full_page=True)

    page.goto("/decisions/release/")
    assert META in page.locator("main").inner_text()  # the mail preview has it
    page.get_by_label(re.compile(r"Send 1 mails? to 1 recipients?")).check()
    page.get_by_role("button", name=re.compile(r"Send 1 mail")).click()
    assert "Released 1 decision" in page.locator("#job-summary").inner_text()
    log_out(page)

    letter = next(m for m in mail.outbox if m.to == [author.email])
    assert META in letter.body
    assert NOTE not in letter.body
    log_in(page, author.email, PASSWORD)
    page.goto("/submissions/1/")
    panel = page.locator("#meta-review-panel")
    assert META in panel.inner_text()
    assert NOTE not in page.content()
    page.screenshot(path=artifacts / "meta-review-author.png", full_page=True)
    log_out(page)

    # The chair changes it after the release: the author is told, and the
    # mail's link shows the new text.
    log_in(page, chair.email, PASSWORD)
    open_meta_review(page)
    save_to_authors(page, UPDATED)
    log_out(page)
    update = next(m for m in mail.outbox if "New meta-review text" in m.subject)
    assert update.to == [author.email]
    assert chair.name not in update.body
    link = re.search(r"https?://\S+", update.body)
    assert link is not None
    log_in(page, author.email, PASSWORD)
    page.goto(urlsplit(link.group()).path)
    assert UPDATED in page.locator("main").inner_text()
    assert META not in page.locator("main").inner_text()


def test_area_chair_reads_reviews_and_discussion_and_writes_the_meta_review(
    page, conference, chair, author, settings, artifacts
):
    settings.HAET_NOW = "2022-06-09T12:00:00Z"
    reviewed_submission(conference, chair, author)
    # A committee member the chair appoints.
    area_chair = UserFactory(
        email="ac@ac.example.net", name="Ari Area", role="reviewer"
    )

    # The chair enables area chairs, appoints one and assigns automatically.
    log_in(page, chair.email, PASSWORD)
    page.goto("/reviews/chair/")
    page.get_by_role("link", name=re.compile("^Area chairs")).click()
    page.get_by_label("Area chairs write the meta-reviews of their submissions").check()
    page.get_by_role("button", name="Save settings").click()
    assert "Area chair settings saved." in page.locator(".messages").inner_text()
    page.select_option("#id_appoint", label="Ari Area <ac@ac.example.net>")
    page.get_by_role("button", name="Appoint").click()
    assert "is an area chair" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Assign area chairs automatically").click()
    assert "1 submission got an area chair." in page.locator(".messages").inner_text()
    assert page.locator("#id_ac_1").input_value() == str(area_chair.pk)
    page.screenshot(path=artifacts / "area-chairs-chair.png", full_page=True)
    log_out(page)

    log_in(page, area_chair.email, PASSWORD)
    nav_click(page, "Area chair")
    page.get_by_role("link", name="Sparse training on FPGAs").click()
    main = page.locator("main").inner_text()
    assert REVIEW in main
    assert POST in main
    assert "Reviewer 1" in main
    assert author.name not in page.content()
    assert "Rita Reviewer" not in page.content()
    page.screenshot(path=artifacts / "area-chair-submission.png", full_page=True)
    page.get_by_role("link", name="Write the meta-review").click()
    page.get_by_label("To the authors").fill(META)
    page.get_by_label("Note to the chairs (optional)").fill(NOTE)
    page.get_by_role("button", name="Save the meta-review").click()
    assert "Meta-review of #1 saved." in page.locator(".messages").inner_text()
    page.get_by_role("link", name=re.compile("reviews and discussion")).click()
    nav_click(page, "Area chair")
    assert "written" in page.locator("main table").inner_text()

    found = MetaReview.objects.get()
    assert (found.to_authors, found.note_to_chairs, found.written_by) == (
        META,
        NOTE,
        area_chair,
    )

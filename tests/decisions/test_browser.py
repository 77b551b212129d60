"""The decision evening in a real browser: a chair sorts by score, decides in bulk,
previews and releases the mails; an author then reads the decision and uploads the
camera-ready version."""

import re

import pytest
from django.core import mail

from decisions.models import Decision
from proceedings.models import CameraReady
from reviews.assigning import assign_reviewer
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory
from tests.submissions.pdf_factory import build_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    nav_click(page, "Log out", role="button")
    page.wait_for_url(re.compile(r"/$"))


def test_chair_decides_and_releases_then_author_uploads_camera_ready(
    page, conference, chair, author, settings, artifacts, tmp_path
):
    # Two days before notification; the camera-ready deadline is 30 June.
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"
    reviewer = UserFactory(
        email="rev@lab.example.net", name="Rita Reviewer", role="reviewer"
    )
    other = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    scores = {1: 1, 2: -2, 3: 3}
    for number, score in scores.items():
        submission = SubmissionFactory(
            conference=conference,
            number=number,
            contact=author if number == 1 else other,
            title=f"Efficient training, part {number}",
        )
        assignment, _ = assign_reviewer(submission, reviewer, by=chair, notify=False)
        ReviewFactory(
            assignment=assignment, score=score, comments=f"Comment on part {number}."
        )

    # The chair sorts by mean score, best first: #3, #1, #2.
    log_in(page, chair.email, PASSWORD)
    page.goto("/decisions/")
    page.get_by_role("link", name="Mean", exact=True).click()
    page.wait_for_url(re.compile(r"sort=-mean"))
    numbers = page.locator("#decision-table tbody tr td:nth-child(2)")
    assert numbers.all_inner_texts()[:3] == ["3", "1", "2"]

    # Bulk: accept #3 and #1 as posters, then reject #2.
    page.get_by_label("Select #3").check()
    page.get_by_label("Select #1").check()
    page.select_option("#bulk-outcome", "accept_poster")
    page.get_by_role("button", name="Review the change…").click()
    page.get_by_role("button", name="Set 2 submissions to Accept (poster)").click()
    assert "Accept (poster): #1, #3. 2 decisions changed." in (
        page.locator("#job-summary").inner_text()  # a background job's page
    )
    page.get_by_role("link", name="Back to decisions").first.click()
    page.get_by_label("Select #2").check()
    page.select_option("#bulk-outcome", "reject")
    page.get_by_role("button", name="Review the change…").click()
    page.get_by_role("button", name="Set 1 submission to Reject").click()
    page.get_by_role("link", name="Back to decisions").first.click()
    page.screenshot(path=artifacts / "decisions-dashboard.png", full_page=True)
    assert page.url.endswith("?sort=-mean")  # the sort survives the decision

    # Read the summary and the samples, then send them all.
    page.get_by_role("link", name="Release", exact=True).click()
    previews = page.locator("article.mail-preview")
    assert previews.count() == 3
    assert "Comment on part 1." in page.locator("main").inner_text()
    page.screenshot(path=artifacts / "decisions-release.png", full_page=True)
    page.get_by_label(re.compile(r"Send 3 mails to 2 recipients")).check()
    page.get_by_role("button", name="Send 3 mails").click()
    assert "Released 3 decisions" in page.locator("#job-summary").inner_text()
    assert sorted(m.to[0] for m in mail.outbox) == [
        author.email,
        other.email,
        other.email,
    ]
    log_out(page)

    # The author follows the link in the mail and reads the decision.
    letter = next(m for m in mail.outbox if m.to == [author.email])
    path = re.search(r"https?://[^/\s]+(/decisions/1/outcome/)", letter.body)[1]
    log_in(page, author.email, PASSWORD)
    page.goto(path)
    assert "Decision: Accept (poster)" in page.locator("main").inner_text()
    assert "Reviewer 1" in page.locator("main").inner_text()
    assert "Rita Reviewer" not in page.content()

    # ... and uploads the camera-ready version, naming the authors.
    page.get_by_role("link", name="Upload the camera-ready version").click()
    pdf = build_paper(
        tmp_path / "final.pdf", byline=("Ada Author", "Uni A", "author@example.org")
    )
    page.fill("input[name=title]", "Efficient Training, Part One")
    page.get_by_label(re.compile("Include the paper")).check()
    page.get_by_label("I accept the licence to publish").check()
    page.set_input_files("input[name=pdf]", str(pdf))
    page.get_by_role("button", name="Save the camera-ready").click()
    assert "Saved the camera-ready of #1" in page.locator(".messages").inner_text()
    assert "Received" in page.locator("main").inner_text()
    page.screenshot(path=artifacts / "decisions-camera-ready.png", full_page=True)

    camera = CameraReady.objects.get()
    assert camera.title == "Efficient Training, Part One"
    assert camera.include_in_proceedings
    assert camera.current_version is not None
    assert Decision.objects.filter(released_at__isnull=False).count() == 3

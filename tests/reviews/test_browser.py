"""A reviewer's whole journey in a real browser: invited, signs up, accepts, fills
the profile, bids; the chair proposes and deploys the assignment; the reviewer
downloads the anonymous PDF, submits a review and reads the other one.
"""

import hashlib
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from haet import clock
from haet.models import ImportantDate, Topic
from reviews.models import Assignment, Review, ReviewSettings
from reviews.reviewing import save_review
from submissions.models import SubmissionVersion
from submissions.pdfcheck import make_reviewer_copy
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.factories import SubmissionFactory
from tests.reviews.conftest import REVIEW_TIME, answers
from tests.submissions.pdf_factory import build_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "newreviewer@lab.example.net"
NEW_PASSWORD = "a-long-pass-phrase-42"


def wait_for_proposal(page):
    """Reload a proposal's page until its run is done (Celery runs eagerly)."""
    for _ in range(20):
        if "Proposed" in page.locator("h1").inner_text():
            return
        page.wait_for_timeout(500)
        page.reload()


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    nav_click(page, "Log out", role="button")
    page.wait_for_url(re.compile(r"/$"))


def attach_paper(submission, tmp_path) -> None:
    """The author's PDF (naming its author in the metadata) and its reviewer copy."""
    original = build_paper(tmp_path / "original.pdf", author="Ada Author")
    copy = tmp_path / "copy.pdf"
    make_reviewer_copy(original, copy, sandbox=False)
    data = original.read_bytes()
    version = SubmissionVersion(
        submission=submission,
        original_filename="paper.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=submission.contact,
        uploaded_at=clock.now(),
    )
    version.original.save("o.pdf", ContentFile(data), save=False)
    version.reviewer_copy.save("c.pdf", ContentFile(copy.read_bytes()), save=False)
    version.save()
    submission.current_version = version
    submission.save(update_fields=["current_version"])


def test_reviewer_joins_bids_is_assigned_reviews_and_reads_the_others(
    page, conference, chair, author, artifacts, settings, tmp_path
):
    # During reviewing (HAET_NOW); bidding is open while no bidding date is set;
    # k = 2 for a small pool.
    settings.HAET_NOW = REVIEW_TIME
    conference.dates.filter(kind=ImportantDate.Kind.BIDDING_DEADLINE).delete()
    settings = ReviewSettings.objects.for_conference(conference)
    settings.reviewers_per_submission = 2
    settings.save()
    topics = list(Topic.objects.filter(conference=conference))
    first = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training of transformers on FPGAs",
        topics=topics[:1],
    )
    attach_paper(first, tmp_path)
    SubmissionFactory(
        conference=conference,
        number=2,
        contact=author,
        title="Energy models of GPU training",
        topics=topics[4:5],
    )

    # The chair invites someone by email.
    log_in(page, chair.email, PASSWORD)
    page.goto("/reviews/chair/")
    page.get_by_role("link", name=re.compile("Reviewer pool")).click()
    page.fill("input[name=email]", NEW_EMAIL)
    page.fill("input[name=name]", "Nora New")
    page.get_by_role("button", name="Send invitations").click()
    assert "Invited 1" in page.locator(".messages").inner_text()
    log_out(page)

    # The invitee follows the link, signs up, confirms the address, accepts.
    invitation_mail = next(m for m in mail.outbox if m.to == [NEW_EMAIL])
    link = re.search(r"https?://\S+(/reviews/invitation/\S+/)", invitation_mail.body)
    page.goto(link.group(1))
    page.get_by_role("link", name="Sign up").last.click()
    page.fill("input[name=email]", NEW_EMAIL)
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))
    body = mail.outbox[-1].body
    confirm = re.search(r"https?://\S+(/accounts/confirm-email/\S+)", body).group(1)
    page.goto(confirm)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_load_state()
    if "/reviews/invitation/" not in page.url:
        page.goto(link.group(1))
    page.get_by_role("button", name="Accept the invitation").click()
    page.wait_for_url(re.compile("/reviews/profile/"))

    # The profile: expertise, keywords, own papers, domains, load.
    page.get_by_label(topics[0].name).check()
    page.fill("input[name=keywords]", "sparsity, FPGA")
    page.fill(
        "textarea[name=own_publications]",
        "Sparse training on FPGAs. We train sparse transformers on FPGA boards.",
    )
    page.fill("textarea[name=institution_domains]", "lab.example.net")
    page.fill("input[name=max_assignments]", "4")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile("/reviews/$"))
    assert "Profile saved" in page.locator(".messages").inner_text()

    # Bidding: eager on #1, not willing on #2; the progress line follows.
    page.get_by_role("link", name="Bid on submissions").click()
    assert "0</strong> of 2" in page.locator(".bid-progress").inner_html()
    page.locator("article.bid-item").nth(0).get_by_role("button", name="Eager").click()
    bid = page.locator("article.bid-item").nth(1)
    bid.get_by_role("button", name="Not willing").click()
    assert "2</strong> of 2" in page.locator(".bid-progress").inner_html()
    chosen = page.locator("article.bid-item").nth(0).locator("button.chosen")
    assert chosen.inner_text() == "Eager"
    log_out(page)

    # The chair proposes, inspects and deploys.
    log_in(page, chair.email, PASSWORD)
    page.goto("/reviews/chair/")
    page.get_by_role("link", name=re.compile("Automatic assignment")).click()
    page.get_by_role("button", name="Propose an assignment").click()
    page.wait_for_url(re.compile(r"/reviews/chair/assignment-runs/\d+/"))
    wait_for_proposal(page)
    assert "4</strong> new assignments" in page.locator(".run-summary").inner_html()
    assert "Nora New" in page.locator("table.proposal").inner_text()
    page.screenshot(path=str(artifacts / "reviews-proposal.png"), full_page=True)
    # Deploying asks to confirm the counts: one mail per reviewer (issue 14).
    page.get_by_label(re.compile(r"Create 4 assignments and send \d+ mails")).check()
    page.get_by_role("button", name=re.compile("^Deploy")).click()
    # A background job (issue 14, item 10): its page, done at once under eager
    # Celery, says what was deployed and links the assignments.
    page.wait_for_url(re.compile(r"/jobs/\d+/"))
    assert "Deployed: 4 new assignments" in page.locator("#job-summary").inner_text()
    page.get_by_role("link", name="See the assignments").click()
    page.wait_for_url(re.compile("/reviews/chair/assignments/"))
    page.screenshot(path=str(artifacts / "reviews-assignments.png"), full_page=True)

    assert Assignment.objects.filter(reviewer__email=NEW_EMAIL).count() == 2
    [digest] = [m for m in mail.outbox if m.to == [NEW_EMAIL] and "assign" in m.subject]
    assert digest.subject.endswith("2 new review assignments")

    # The other reviewer of #1 reviews first (through the service).
    other = (
        Assignment.objects.filter(submission=first)
        .exclude(reviewer__email=NEW_EMAIL)
        .select_related("reviewer")
        .get()
    )
    save_review(
        other,
        answers(score=-1, summary="One benchmark is not enough."),
        by=other.reviewer,
        submit=True,
    )
    log_out(page)

    # The new reviewer opens the assignment, downloads the anonymous PDF, reviews.
    log_in(page, NEW_EMAIL, NEW_PASSWORD)
    nav_click(page, "Reviewing")
    page.get_by_role("link", name="Sparse training of transformers on FPGAs").click()
    page.wait_for_url(re.compile("/reviews/1/$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the paper (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "HAET2022-1.pdf"
    data = open(download.path(), "rb").read()  # noqa: SIM115
    assert data.startswith(b"%PDF")
    assert b"Ada Author" not in data
    assert "One benchmark is not enough." not in page.content()  # not before own

    page.locator("input[name=q_score][value='2']").check()
    page.locator("input[name=q_confidence][value='4']").check()
    page.fill("textarea[name=q_summary]", "Sparse transformers trained on FPGAs.")
    page.fill("textarea[name=q_strengths]", "Careful energy measurements.")
    page.fill("textarea[name=q_weaknesses]", "A single benchmark.")
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_url(re.compile("/reviews/1/#reviews$"))
    assert (
        Review.objects.submitted().filter(assignment__reviewer__email=NEW_EMAIL).count()
        == 1
    )

    # Now the other review, signed by its pseudonym only.
    pseudonym = other.pseudonym
    other_review = page.locator("article.review").filter(has_text=pseudonym)
    assert "One benchmark is not enough." in other_review.inner_text()
    assert other.reviewer.name not in page.content()
    page.screenshot(path=str(artifacts / "reviews-journey-review.png"), full_page=True)

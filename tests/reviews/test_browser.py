"""A reviewer's journey in a real browser: invited, signs up, accepts, fills the
profile, bids; the chair proposes and deploys the assignment.

The reviewing engineer extends this journey (download, review, read others).
"""

import re

import pytest
from django.core import mail

from haet.models import ImportantDate, Topic
from reviews.models import Assignment, ReviewSettings
from tests.conftest import PASSWORD
from tests.reviews.conftest import make_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "newreviewer@lab.example.net"
NEW_PASSWORD = "a-long-pass-phrase-42"


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/$"))


def test_reviewer_joins_bids_and_chair_deploys_assignment(
    page, conference, chair, author, artifacts
):
    # Bidding is open while no bidding date is set; k = 2 for a small pool.
    conference.dates.filter(kind=ImportantDate.Kind.BIDDING_DEADLINE).delete()
    settings = ReviewSettings.objects.for_conference(conference)
    settings.reviewers_per_submission = 2
    settings.save()
    topics = list(Topic.objects.filter(conference=conference))
    make_submission(
        conference,
        number=1,
        contact=author,
        title="Sparse training of transformers on FPGAs",
        topics=topics[:1],
    )
    make_submission(
        conference,
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
        "textarea[name=own_papers]",
        "Sparse training on FPGAs. We train sparse transformers on FPGA boards.",
    )
    page.fill("textarea[name=institution_domains]", "lab.example.net")
    page.fill("input[name=max_papers]", "4")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile("/reviews/$"))
    assert "Profile saved" in page.locator(".messages").inner_text()

    # Bidding: eager on #1, not willing on #2; the progress line follows.
    page.get_by_role("link", name="Bid on submissions").click()
    assert "0</strong> of 2" in page.locator(".bid-progress").inner_html()
    page.locator("#s1").get_by_role("button", name="Eager").click()
    page.locator("#s2").get_by_role("button", name="Not willing").click()
    assert "2</strong> of 2" in page.locator(".bid-progress").inner_html()
    assert page.locator("#s1 button.chosen").inner_text() == "Eager"
    log_out(page)

    # The chair proposes, inspects and deploys.
    log_in(page, chair.email, PASSWORD)
    page.goto("/reviews/chair/")
    page.get_by_role("link", name=re.compile("Automatic assignment")).click()
    page.get_by_role("button", name="Propose an assignment").click()
    page.wait_for_url(re.compile(r"/reviews/chair/assignment-runs/\d+/"))
    for _ in range(20):
        if "Proposed" in page.locator("h1").inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert "4</strong> new assignments" in page.locator(".run-summary").inner_html()
    assert "Nora New" in page.locator("table.proposal").inner_text()
    page.screenshot(path=str(artifacts / "reviews-proposal.png"), full_page=True)
    page.get_by_role("button", name=re.compile("^Deploy")).click()
    page.wait_for_url(re.compile("/reviews/chair/assignments/"))
    assert "Deployed: 4 new assignments" in page.locator(".messages").inner_text()
    page.screenshot(path=str(artifacts / "reviews-assignments.png"), full_page=True)

    assert Assignment.objects.filter(reviewer__email=NEW_EMAIL).count() == 2
    assignment_mails = [m for m in mail.outbox if m.to == [NEW_EMAIL]][-2:]
    assert all("New review assignment" in m.subject for m in assignment_mails)

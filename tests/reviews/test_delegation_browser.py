"""Issue 16's journeys in Chromium: a reviewer delegates → the delegate accepts from
the mail's link (logging in on the way) → drafts → the delegating reviewer reads
the draft and submits it; and a chair invites an emergency reviewer → they accept
from the mail's link → review."""

import re

import pytest
from playwright.sync_api import Page

from haet.outbox.models import OutboxMail
from reviews.models import Assignment, Delegation, Review, ReviewSettings
from tests.a11y import assert_accessible
from tests.browser_nav import log_out
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.reviews.conftest import LEAK_NAME, REVIEW_TIME
from tests.reviews.test_leaks import found

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, email: str, *, at: str = "/accounts/login/") -> None:
    if at:
        page.goto(at)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()


def link_in(mail: OutboxMail) -> str:
    match = re.search(r"https?://[^/\s]+(/reviews/[\w/-]+/)", mail.body_text)
    assert match, mail.body_text
    return match.group(1)


def fill_review(page: Page, *, summary: str | None = None) -> None:
    page.locator("input[name=q_score][value='1']").check()
    page.locator("input[name=q_confidence][value='3']").check()
    if summary is not None:
        page.fill("textarea[name=q_summary]", summary)
    page.fill("textarea[name=q_strengths]", "Careful measurements.")
    page.fill("textarea[name=q_weaknesses]", "One benchmark.")


def test_delegate_accepts_drafts_and_the_reviewer_submits(
    page, world, settings, artifacts
):
    settings.HAET_NOW = REVIEW_TIME
    ReviewSettings.objects.filter(conference=world.conference).update(
        delegation_needs_approval=False
    )
    delegate = UserFactory(email="dora@student-lab.example.net", name="Dora Student")

    # The reviewer proposes a delegate from their submission page.
    log_in(page, world.reviewer.email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/1/")
    page.get_by_role("link", name="Delegate this review").click()
    page.wait_for_url(re.compile("/reviews/1/delegation/$"))
    assert_accessible(page)
    page.fill("input[name=name]", "Dora Student")
    page.fill("input[name=email]", delegate.email)
    page.get_by_role("button", name="Propose the delegate").click()
    assert "is invited by email" in page.locator(".messages").inner_text()
    log_out(page)

    # The delegate follows the mail's link, logs in on the way, accepts.
    mail = OutboxMail.objects.get(template="delegation_invitation")
    assert found(mail.body_text) == []
    page.goto(link_in(mail))
    assert_accessible(page)
    page.locator("#main").get_by_role("link", name="Log in").click()
    log_in(page, delegate.email, at="")
    page.get_by_role("button", name="Accept and open the submission").click()
    page.wait_for_url(re.compile("/reviews/delegated/1/$"))
    assert "Reviewer 1" in page.content()
    fill_review(page, summary="Drafted by Dora: sparse transformers on FPGAs.")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile("/reviews/delegated/1/#review$"))
    assert "Draft saved" in page.locator(".messages").inner_text()
    page.fill("textarea[name=body]", "Could you check the energy table?")
    page.get_by_role("button", name="Add the note").click()
    assert "Could you check the energy table?" in page.content()
    assert_accessible(page)
    html = page.content()
    assert found(html) == []
    assert world.reviewer.name not in html
    page.screenshot(path=str(artifacts / "reviews-delegated.png"), full_page=True)
    log_out(page)

    # The reviewer reads the draft in their own form, and submits it.
    log_in(page, world.reviewer.email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/1/")
    assert "Drafted by Dora" in page.locator("textarea[name=q_summary]").input_value()
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_url(re.compile("/reviews/1/#reviews$"))
    review = Review.objects.get(assignment=world.assignment)
    assert review.is_submitted
    assert review.answers["summary"].startswith("Drafted by Dora")
    assert Delegation.objects.get().drafted_at is not None


def test_emergency_invite_accept_review(page, world, settings, artifacts):
    settings.HAET_NOW = REVIEW_TIME
    invitee = world.unassigned_reviewer

    log_in(page, world.chair.email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/chair/")
    assert "short near the deadline" in page.content()
    page.get_by_role("link", name=re.compile("Emergency reviewers")).click()
    page.locator("table.short-submissions tr", has_text="#1 ").get_by_role(
        "link", name="Find a reviewer"
    ).click()
    page.wait_for_url(re.compile("/reviews/chair/emergency/1/$"))
    assert world.conflicted_reviewer.name not in page.content()
    assert_accessible(page)
    page.select_option("select[name=reviewer]", str(invitee.pk))
    page.fill("input[name=due_at]", "2022-06-15T23:59")
    page.get_by_role("button", name="Invite").click()
    assert "is invited to review #1" in page.locator(".messages").inner_text()
    assert_accessible(page)
    page.goto("/reviews/chair/emergency/")
    assert_accessible(page)
    page.goto("/reviews/chair/delegations/")
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "reviews-emergency.png"), full_page=True)
    log_out(page)

    mail = OutboxMail.objects.get(template="emergency_invitation")
    assert LEAK_NAME not in mail.body_text
    page.goto(link_in(mail))  # to the login first, then back
    log_in(page, invitee.email, at="")
    assert_accessible(page)
    page.get_by_role("button", name="Accept and open the submission").click()
    page.wait_for_url(re.compile("/reviews/1/$"))
    assert "Reviewer 2" in page.content()
    fill_review(page, summary="An emergency review.")
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_url(re.compile("/reviews/1/#reviews$"))
    assignment = Assignment.objects.get(reviewer=invitee)
    assert assignment.due_at is not None
    assert assignment.review.is_submitted

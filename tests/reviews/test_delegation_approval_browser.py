"""Issue 16's delegation with the chairs' approval, in Chromium: the reviewer
proposes a delegate → every unconflicted chair is mailed → a chair follows the
mail's link (logging in on the way) to the delegations page and refuses, with a
reason the reviewer reads in their mail → the reviewer proposes someone else →
the chair approves → the delegate's invitation goes out, and its link works.
A conflicted chair gets no mail and never sees the delegation."""

import re

import pytest
from playwright.sync_api import Page

from haet.outbox.models import OutboxMail
from reviews.models import Delegation, ReviewSettings
from tests.a11y import assert_accessible
from tests.browser_nav import log_out
from tests.factories import UserFactory
from tests.reviews.conftest import LEAK_NAME, REVIEW_TIME
from tests.reviews.test_delegation_browser import link_in, log_in
from tests.reviews.test_leaks import found

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = ("Sam Sibling", "sam@family-mail.example.org")
APPROVED = ("Dora Student", "dora@student-lab.example.net")
REASON = "Please pick someone from your own lab, not a relative."


def mails(template: str, *, to: str | None = None) -> list[OutboxMail]:
    found_mails = OutboxMail.objects.filter(template=template).order_by("pk")
    if to is not None:
        found_mails = found_mails.filter(to_email=to)
    return list(found_mails)


def propose(page: Page, email: str, name: str, delegate_email: str) -> None:
    """The reviewer proposes a delegate from their submission page."""
    log_in(page, email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/1/")
    page.get_by_role("link", name=re.compile("Delegate this review")).click()
    page.wait_for_url(re.compile("/reviews/1/delegation/$"))
    page.fill("input[name=name]", name)
    page.fill("input[name=email]", delegate_email)
    page.get_by_role("button", name="Propose the delegate").click()
    assert "Sent to the chairs for approval." in page.locator(".messages").inner_text()
    log_out(page)


def chair_follows_the_mail(page: Page, mail: OutboxMail, email: str) -> None:
    """The chair opens the mail's link signed out: the login, then the page."""
    page.goto(link_in(mail))
    log_in(page, email, at="")
    page.wait_for_url(re.compile("/reviews/chair/delegations/$"))


def row_of(page: Page, delegate_name: str):
    return page.locator("table.delegations tbody tr", has_text=delegate_name)


def test_a_chair_refuses_with_a_reason_then_approves_and_the_delegate_is_invited(
    page, world, settings, artifacts
):
    settings.HAET_NOW = REVIEW_TIME
    ReviewSettings.objects.filter(conference=world.conference).update(
        delegation_needs_approval=True
    )
    delegate = UserFactory(email=APPROVED[1], name=APPROVED[0])

    # 1. The reviewer proposes a first delegate: the chairs are asked, nobody
    # else hears of it.
    propose(page, world.reviewer.email, *REFUSED)
    (asked,) = mails("delegation_approval_request", to=world.chair.email)
    assert mails("delegation_approval_request", to=world.conflicted_chair.email) == []
    assert mails("delegation_invitation") == []
    assert REFUSED[0] in asked.body_text
    assert world.reviewer.name in asked.body_text
    assert "#1 Sparse training of transformers on FPGAs" in asked.body_text
    assert found(asked.body_text) == []

    # 2. The chair follows the mail's link and refuses, giving a reason.
    chair_follows_the_mail(page, asked, world.chair.email)
    assert "1 await your approval" in page.locator("main").inner_text()
    row = row_of(page, REFUSED[0])
    assert "Awaiting" in row.inner_text()
    assert world.reviewer.name in row.inner_text()
    assert_accessible(page)
    page.screenshot(
        path=str(artifacts / "reviews-delegation-approval.png"), full_page=True
    )
    row.get_by_label(re.compile("Reason if you refuse")).fill(REASON)
    row.get_by_role("button", name="Refuse").click()
    page.wait_for_url(re.compile("/reviews/chair/delegations/$"))
    assert "Refused: the reviewer keeps the review." in (
        page.locator(".messages").inner_text()
    )
    assert "Refused" in row_of(page, REFUSED[0]).inner_text()
    assert row_of(page, REFUSED[0]).get_by_role("button").count() == 0
    log_out(page)

    # The reviewer's mail carries the chair's reason; the refused person got nothing.
    (refusal,) = mails("delegation_refused", to=world.reviewer.email)
    assert f"The chairs' reason: {REASON}" in refusal.body_text
    assert REASON in refusal.body_html
    assert found(refusal.body_text) == []
    assert not OutboxMail.objects.filter(to_email=REFUSED[1]).exists()

    # 3. The reviewer proposes someone else; the chair approves from the new mail.
    propose(page, world.reviewer.email, *APPROVED)
    second = mails("delegation_approval_request", to=world.chair.email)[-1]
    assert second.pk != asked.pk
    assert APPROVED[0] in second.body_text
    chair_follows_the_mail(page, second, world.chair.email)
    row_of(page, APPROVED[0]).get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile("/reviews/chair/delegations/$"))
    assert "Approved: the delegate is invited." in (
        page.locator(".messages").inner_text()
    )
    assert "Invited" in row_of(page, APPROVED[0]).inner_text()
    assert "await your approval" not in page.locator("main").inner_text()
    assert_accessible(page)
    log_out(page)

    # 4. The delegate's invitation goes out, the reviewer hears of the approval,
    # and no mail of the journey names the authors.
    (invitation,) = mails("delegation_invitation")
    assert invitation.to_email == APPROVED[1]
    (approved,) = mails("delegation_approved", to=world.reviewer.email)
    assert APPROVED[0] in approved.body_text
    journey = OutboxMail.objects.filter(template__startswith="delegation_")
    # Two requests to each unconflicted chair, a refusal, an approval, an invite.
    assert journey.exclude(template="delegation_approval_request").count() == 3
    for sent in journey:
        text = f"{sent.subject}\n{sent.body_text}\n{sent.body_html}"
        assert found(text) == [], sent.template
        assert LEAK_NAME not in text
    assert list(
        Delegation.objects.order_by("pk").values_list("name", "status", "decided_by")
    ) == [
        (REFUSED[0], Delegation.Status.REFUSED, world.chair.pk),
        (APPROVED[0], Delegation.Status.INVITED, world.chair.pk),
    ]

    # The invitation's link opens for the delegate, who accepts.
    page.goto(link_in(invitation))
    page.locator("#main").get_by_role("link", name="Log in").click()
    log_in(page, delegate.email, at="")
    page.get_by_role("button", name="Accept and open the submission").click()
    page.wait_for_url(re.compile("/reviews/delegated/1/$"))
    assert "Reviewer 1" in page.content()
    assert world.reviewer.name not in page.content()
    log_out(page)

    # A conflicted chair was never asked and sees none of it.
    log_in(page, world.conflicted_chair.email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/chair/delegations/")
    main = page.locator("main").inner_text()
    assert "No review is delegated." in main
    assert APPROVED[0] not in main
    assert REFUSED[0] not in main

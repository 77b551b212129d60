"""Delegation's mails besides the invitation (issue 16): the chairs are asked to
approve a proposal (never a conflicted chair), and the delegating reviewer learns
the answer, with the chair's reason on a refusal. Each mail is queued once, and
none names the authors."""

import pytest
from django.urls import reverse

from haet.models import User
from haet.outbox.models import OutboxMail
from haet.rules import CHAIRS
from reviews.delegation import approve_delegation, propose_delegation, refuse_delegation
from reviews.delegation_mails import queue_answer_to_reviewer, queue_approval_request
from reviews.models import Delegation, ReviewSettings
from tests.factories import UserFactory
from tests.reviews.test_leaks import found

pytestmark = pytest.mark.django_db

DELEGATE = ("Dora Student", "dora@student-lab.example.net")
TEMPLATES = ["delegation_approval_request", "delegation_approved", "delegation_refused"]


@pytest.fixture
def proposed(world, during_review) -> Delegation:
    ReviewSettings.objects.filter(conference=world.conference).update(
        delegation_needs_approval=True
    )
    return propose_delegation(
        world.assignment, name=DELEGATE[0], email=DELEGATE[1], by=world.reviewer
    )


def mails(template: str) -> list[OutboxMail]:
    return list(OutboxMail.objects.filter(template=template).order_by("pk"))


def test_a_proposal_asks_every_unconflicted_chair_once(world, proposed):
    second_chair = UserFactory(
        email="co-chair@other-uni.example.org", name="Cora Cochair", role="chair"
    )

    queue_approval_request(proposed)  # a retry: already queued for each chair
    queue_approval_request(proposed)

    sent = mails("delegation_approval_request")
    chairs = set(
        User.objects.filter(groups__name=CHAIRS).values_list("email", flat=True)
    )
    # Every chair (the seed's too) but the conflicted one, each once; a chair
    # appointed after the proposal is asked on the retry.
    assert {world.chair.email, second_chair.email, world.conflicted_chair.email} <= (
        chairs
    )
    assert sorted(m.to_email for m in sent) == sorted(
        chairs - {world.conflicted_chair.email}
    )
    body = sent[0].body_text
    assert reverse("reviews:chair-delegations") in body
    assert "#1 Sparse training of transformers on FPGAs" in body
    assert world.reviewer.name in body
    assert DELEGATE[0] in body
    assert DELEGATE[1] in body
    assert not mails("delegation_invitation")  # nothing shared before approval


def test_no_approval_request_when_chairs_do_not_approve(world, during_review):
    ReviewSettings.objects.filter(conference=world.conference).update(
        delegation_needs_approval=False
    )
    propose_delegation(
        world.assignment, name=DELEGATE[0], email=DELEGATE[1], by=world.reviewer
    )

    assert mails("delegation_approval_request") == []
    assert len(mails("delegation_invitation")) == 1


def test_an_approval_tells_the_reviewer_once(world, proposed):
    approve_delegation(proposed, by=world.chair)
    proposed.refresh_from_db()
    queue_answer_to_reviewer(proposed)  # a retry

    sent = mails("delegation_approved")
    assert [m.to_email for m in sent] == [world.reviewer.email]
    assert reverse("reviews:submission", args=[1]) in sent[0].body_text
    assert DELEGATE[0] in sent[0].body_text
    assert mails("delegation_refused") == []
    assert [m.to_email for m in mails("delegation_invitation")] == [DELEGATE[1]]


def test_a_refusal_tells_the_reviewer_once_with_the_reason(world, proposed):
    refuse_delegation(proposed, by=world.chair, reason="Students may not review.")
    proposed.refresh_from_db()
    queue_answer_to_reviewer(proposed, reason="Students may not review.")

    sent = mails("delegation_refused")
    assert [m.to_email for m in sent] == [world.reviewer.email]
    assert "The chairs' reason: Students may not review." in sent[0].body_text
    assert "Students may not review." in sent[0].body_html
    assert mails("delegation_approved") == []
    assert mails("delegation_invitation") == []


def test_a_refusal_without_a_reason_says_none(world, proposed):
    refuse_delegation(proposed, by=world.chair)

    (mail,) = mails("delegation_refused")
    assert "reason" not in mail.body_text.lower()


def test_no_delegation_mail_names_the_authors(world, proposed):
    approve_delegation(proposed, by=world.chair)
    refused = Delegation.objects.create(
        assignment=world.assignment,
        name="Old Proposal",
        email="old@lab.example",
        status=Delegation.Status.REFUSED,
    )
    queue_approval_request(refused)
    queue_answer_to_reviewer(refused, reason="Too late.")

    sent = OutboxMail.objects.filter(template__in=TEMPLATES)
    assert sorted({m.template for m in sent}) == TEMPLATES
    for mail in sent:
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        assert found(text) == [], mail.template
        assert world.author.email not in text
        assert world.author.name not in text
        assert list(mail.submission_links.values_list("submission_id", flat=True)) == [
            world.submission.pk
        ]


# --- the chairs' page --------------------------------------------------------------
def test_the_chairs_page_refuses_with_the_reason(client, world, proposed):
    client.force_login(world.chair)
    url = reverse("reviews:chair-delegations")

    page = client.get(url)
    response = client.post(
        url,
        {"delegation": proposed.pk, "action": "refuse", "reason": "Not a student."},
    )
    client.post(url, {"delegation": proposed.pk, "action": "refuse"})  # double click

    assert 'name="reason"' in page.text
    assert response.status_code == 302
    (mail,) = mails("delegation_refused")
    assert "Not a student." in mail.body_text


def test_a_conflicted_chair_cannot_refuse_and_nothing_is_mailed(
    client, world, proposed
):
    client.force_login(world.conflicted_chair)

    response = client.post(
        reverse("reviews:chair-delegations"),
        {"delegation": proposed.pk, "action": "refuse", "reason": "x"},
    )

    assert response.status_code == 404
    assert mails("delegation_refused") == []
    proposed.refresh_from_db()
    assert proposed.status == Delegation.Status.AWAITING_APPROVAL


def test_a_conflicted_chair_does_not_see_the_mails_in_the_outbox(world, proposed):
    approve_delegation(proposed, by=world.chair)

    visible = OutboxMail.objects.visible_to(world.conflicted_chair).filter(
        template__in=TEMPLATES
    )

    assert list(visible) == []

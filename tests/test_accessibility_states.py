"""axe on pages that the crawl of tests/test_accessibility.py never reaches: the
demo seeds none of their states, or they open from a link in a mail. Each state
is made here through the services, and its page is audited for the person it is
for, and laid out at 390 px."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from haet import clock
from haet.models import Conference, User
from haet.outbox.models import OutboxMail
from haet.seed import STAGE_NOW
from tests.a11y import assert_accessible, signed_in_tab
from tests.factories import UserFactory
from tests.test_accessibility import scrolls_sideways_on_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.HAET_NOW = STAGE_NOW["review"]
    call_command(
        "seed_haet2022",
        papers=8,
        reviewers=6,
        stage="review",
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    return User.objects.get(email="chair@haet.example")


def audit(browser, live_server, user, url: str, what: str) -> None:
    context, page = signed_in_tab(browser, live_server, Client(), user)
    try:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, f"{what}: {url} gave {response.status}"
        assert_accessible(page, f"{what} ")
        assert not scrolls_sideways_on_a_phone(page), f"{what} scrolls sideways"
    finally:
        context.close()


def test_pages_opened_from_an_invitation_mail(browser, live_server, demo):
    """A reviewer's, an area chair's and an emergency reviewer's invitation, for
    someone signed out (the link from the mail) and signed in."""
    from reviews.area_chairs import invitation_url as area_chair_url
    from reviews.area_chairs import invite_area_chair
    from reviews.emergency import (
        candidates,
        emergency_url,
        invite_emergency_reviewer,
    )
    from reviews.pool import invitation_url, invite_reviewer
    from submissions.models import Submission

    invitation, _ = invite_reviewer("nia.okoro@lagos-ml.example", name="Nia", by=demo)
    area, _ = invite_area_chair("sam.lee@seoul-ai.example", name="Sam", by=demo)
    invitee = UserFactory(email="nia.okoro@lagos-ml.example", name="Nia Okoro")
    # Any pool member the emergency page offers for any submission.
    submission, candidate = next(
        (found, offered[0])
        for found in Submission.objects.submitted().order_by("number")
        if (offered := candidates(found, by=demo))
    )
    reviewer = User.objects.get(pk=candidate.user_id)
    emergency = invite_emergency_reviewer(
        submission, reviewer, due_at=clock.now() + timedelta(days=2), by=demo
    )

    for user, url, what in [
        (None, invitation_url(invitation), "reviewer invitation, signed out"),
        (invitee, invitation_url(invitation), "reviewer invitation, signed in"),
        (None, area_chair_url(area), "area chair invitation, signed out"),
        (reviewer, emergency_url(emergency), "emergency invitation"),
    ]:
        audit(browser, live_server, user, url, what)


def test_chair_pages_of_states_the_demo_does_not_seed(browser, live_server, demo):
    """A held mail's edit page, and the public list of outstanding reviewers
    once published."""
    from django.urls import reverse

    from reviews.models import Recognition

    mail = OutboxMail.objects.order_by("pk").first()
    OutboxMail.objects.filter(pk=mail.pk).update(status=OutboxMail.Status.HELD)
    recognition = Recognition.objects.for_conference(Conference.objects.get())
    recognition.is_published = True
    recognition.save()

    for user, url, what in [
        (demo, reverse("outbox:edit", args=[mail.pk]), "held mail, edit"),
        (None, reverse("reviews:outstanding"), "outstanding reviewers"),
    ]:
        audit(browser, live_server, user, url, what)

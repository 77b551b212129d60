"""Invited reviewers who have not answered: reminded after 3 and 7 days."""

from datetime import UTC, datetime, timedelta

import pytest

from haet.outbox import reminders
from haet.outbox.models import OutboxMail
from reviews.pool import accept_invitation, decline_invitation, invite_reviewer
from reviews.reminders import INVITATION_REMINDER

pytestmark = pytest.mark.django_db

SENT = datetime(2022, 5, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def invited(conference, chair, frozen):
    frozen(SENT)
    invitation, _ = invite_reviewer("slow@uni.example.org", name="Sam Slow", by=chair)
    return invitation


def run_at(frozen, instant) -> int:
    frozen(instant)
    return reminders.send_due_reminders()


def test_the_reminder_is_registered():
    assert reminders.REGISTRY["reviewer_invitation"].reminder == INVITATION_REMINDER


def test_reminded_after_3_and_after_7_days_once_each(invited, frozen):
    counts = [
        run_at(frozen, SENT + timedelta(days=2)),
        run_at(frozen, SENT + timedelta(days=3, hours=1)),
        run_at(frozen, SENT + timedelta(days=3, hours=2)),
        run_at(frozen, SENT + timedelta(days=7, minutes=5)),
        run_at(frozen, SENT + timedelta(days=7, minutes=10)),
    ]

    assert counts == [0, 1, 0, 1, 0]
    mails = OutboxMail.objects.filter(template="reviewer_invitation_reminder").order_by(
        "pk"
    )
    assert [m.to_email for m in mails] == ["slow@uni.example.org"] * 2
    assert all(invited.token in m.body_text for m in mails)
    assert mails[0].body_text.split("\n")[2].startswith("3 days ago")
    assert mails[1].body_text.split("\n")[2].startswith("1 week ago")


def test_an_answered_invitation_is_not_reminded(invited, frozen, outsider):
    accept_invitation(invited, user=outsider)

    assert run_at(frozen, SENT + timedelta(days=3, hours=1)) == 0


def test_a_declined_invitation_is_not_reminded(invited, frozen):
    decline_invitation(invited, reason="busy")

    assert run_at(frozen, SENT + timedelta(days=7, minutes=5)) == 0

"""Reminder sources of the reviews app, registered with haet.outbox.reminders."""

from datetime import datetime, timedelta

from haet.models import Conference
from haet.outbox.reminders import Reminder, register_reminder
from reviews.models import Invitation

INVITATION_REMINDER = Reminder(
    key="reviewer_invitation",
    label="Reviewer invitation not answered",
    deadline_kind="",  # each invitation is anchored at the time it was sent
    offsets=(timedelta(days=3), timedelta(days=7)),
    description="To invited reviewers who have not accepted or declined: 3 days and "
    "7 days after the invitation was sent.",
    sensitive=True,  # it repeats the invitation link, which grants the reviewer role
)


class Invitee(str):
    """An invited address as a reminder recipient.

    The reminder registry keys each step by `recipient.pk` and queue_mail accepts
    a plain address; most invitees have no account yet, so the address stands in,
    with a pk of its own ("invitation-<id>") that cannot collide with a user's.
    """

    pk: str
    display_name: str

    def __new__(cls, invitation: Invitation) -> "Invitee":
        invitee = super().__new__(cls, invitation.email)
        invitee.pk = f"invitation-{invitation.pk}"
        invitee.display_name = invitation.name or invitation.email
        return invitee


def unanswered_invitations(conference: Conference, now: datetime):
    from reviews.services import invitation_url

    for invitation in Invitation.objects.pending().filter(sent_at__isnull=False):
        yield (
            Invitee(invitation),
            {"invitation": invitation, "url": invitation_url(invitation)},
            invitation.sent_at,
        )


def register() -> None:
    register_reminder(
        INVITATION_REMINDER, unanswered_invitations, "reviewer_invitation_reminder"
    )

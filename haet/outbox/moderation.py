"""The chairs' actions on one mail: hold, release, retry, edit."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haet.models import User
from haet.outbox.delivery import PUBLISH_GRACE
from haet.outbox.erasure import CANCELLED_REASON
from haet.outbox.models import OutboxMail
from haet.outbox.services import publish, text_to_html

Status = OutboxMail.Status


def move(mail: OutboxMail, source: str, **fields: object) -> bool:
    moved = OutboxMail.objects.filter(pk=mail.pk, status=source).update(**fields)
    mail.refresh_from_db()
    return bool(moved)


@transaction.atomic
def hold_mail(mail: OutboxMail, *, by: User) -> bool:
    """Stop a queued mail before a worker claims it. False if it was too late.
    A mail carrying a credential is never held: holding leads to editing, and a
    held reset link would be a chair's to read or redirect."""
    if mail.is_sensitive:
        raise ValidationError("A mail carrying a credential cannot be held.")
    return move(mail, Status.QUEUED, status=Status.HELD, held_by=by)


@transaction.atomic
def release_mail(mail: OutboxMail, *, by: User) -> bool:
    """Let a held mail go. Side effect: delivery published after commit."""
    moved = move(
        mail,
        Status.HELD,
        status=Status.QUEUED,
        next_attempt_at=timezone.now() + PUBLISH_GRACE,
    )
    if moved:
        transaction.on_commit(partial(publish, [mail.pk]))
    return moved


@transaction.atomic
def retry_mail(mail: OutboxMail, *, by: User) -> bool:
    """Try a failed mail again, with a fresh set of attempts. Never a mail the
    erasure of a deleted account cancelled (haet.outbox.erasure): it has no one
    to go to."""
    if mail.last_error == CANCELLED_REASON:
        raise ValidationError(CANCELLED_REASON)
    moved = move(
        mail,
        Status.FAILED,
        status=Status.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now() + PUBLISH_GRACE,
    )
    if moved:
        transaction.on_commit(partial(publish, [mail.pk]))
    return moved


@transaction.atomic
def edit_mail(
    mail: OutboxMail, *, subject: str, body_text: str, by: User
) -> OutboxMail:
    """Rewrite a held mail; its HTML part becomes the new text in the mail layout.
    Never a mail carrying a credential (its text is not the chairs' to read)."""
    if mail.is_sensitive:
        raise ValidationError("A mail carrying a credential cannot be edited.")
    body_text = body_text.replace("\r\n", "\n").strip() + "\n"
    subject = " ".join(subject.split())
    if not subject or not body_text.strip():
        raise ValidationError("A mail needs a subject and a text.")
    moved = move(
        mail,
        Status.HELD,
        subject=subject[:300],
        body_text=body_text,
        body_html=text_to_html(body_text),
        edited_by=by,
        edited_at=timezone.now(),
    )
    if not moved:
        raise ValidationError("Only a held mail can be edited.")
    return mail

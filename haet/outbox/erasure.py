"""Erasing a person from the outbox when their account is anonymised
(exchange.deletion), so a chair browsing it can no longer read who they were.

Mails to them (their account is the recipient, or the row's address is one of
theirs, compared case-insensitively) keep their row, the record that a mail went
out, with the address replaced by the account's anonymous one and the subject and
text by a neutral line. Those not sent yet (queued, held, or failed, which a chair
could retry) are cancelled: marked FAILED, the status of a mail that will not be
sent, with the reason as their error, so neither delivery, the sweep nor a release
sends them. A mail SENDING at that moment belongs to its worker and may be with the
SMTP server already: it is erased, and its worker marks it sent as usual.

Mails to other people that name them (their name or address as a whole word,
case-insensitively, as haet.audit.redaction matches) keep their text, with each
mention replaced by the anonymous name. The caller erases before it writes anything
that should keep the former name (the chairs' "account anonymised" mail).
"""

import html
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haet.audit.redaction import needles_of, whole_words
from haet.models import User
from haet.outbox.models import OutboxMail

Status = OutboxMail.Status

ERASED_TEXT = "(erased: the recipient's account was deleted)"
ERASED_HTML = f"<p>{html.escape(ERASED_TEXT)}</p>"
CANCELLED_REASON = "Not sent: the recipient's account was deleted."
# Not sent yet, and nothing but a chair's retry or release would send it.
UNSENT = (Status.QUEUED, Status.HELD, Status.FAILED)
SUBJECT_LENGTH = OutboxMail._meta.get_field("subject").max_length or 300


@dataclass(frozen=True)
class OutboxErasure:
    erased: int  # mails to the person, their address and text erased
    cancelled: int  # of those, the ones that will now never be sent
    edited: int  # mails to others, the person's name or address replaced


@transaction.atomic
def erase_from_outbox(
    user: User, *, former: Iterable[str], email: str, name: str
) -> OutboxErasure:
    """Erase `user` from the outbox: `former` holds the addresses and names they
    had, `email` and `name` are what replace them (the anonymous account's).
    A second run changes and counts nothing more, but it would edit any mail
    written in between that names them: run it before writing one that should
    keep their name (as exchange.deletion does with the chairs' notice).

    Side effects: bulk updates of the outbox rows (no audit entries; the caller
    records the counts)."""
    needles = needles_of(former)
    erased, cancelled = _erase_mails_to(user, needles, email=email)
    edited = _replace_mentions(needles, name=name) if needles else 0
    return OutboxErasure(erased=erased, cancelled=cancelled, edited=edited)


def _erase_mails_to(user: User, needles: list[str], *, email: str) -> tuple[int, int]:
    addressed = Q(recipient=user)
    for needle in needles:
        if "@" in needle:  # an address; the names are never a row's address
            addressed |= Q(to_email__iexact=needle)
    now = timezone.now()
    # A batch that read a queued row before this re-reads it, as after a chair's
    # edit (delivery.claim_read compares edited_at), and finds it cancelled.
    erased = (
        OutboxMail.objects.filter(addressed)
        .exclude(subject=ERASED_TEXT, to_email=email)
        .update(
            to_email=email,
            subject=ERASED_TEXT,
            body_text=ERASED_TEXT + "\n",
            body_html=ERASED_HTML,
            last_error="",  # a refusal quotes the address
            edited_at=now,
        )
    )
    # Conditional on the status, like every move of a row: a mail a worker claimed
    # meanwhile is SENDING, and left to it.
    cancelled = (
        OutboxMail.objects.filter(Q(recipient=user) | Q(to_email=email))
        .filter(status__in=UNSENT)
        .exclude(status=Status.FAILED, last_error=CANCELLED_REASON)
        .update(
            status=Status.FAILED,
            last_error=CANCELLED_REASON,
            claimed_at=None,
            next_attempt_at=None,
        )
    )
    return erased, cancelled


def _replace_mentions(needles: list[str], *, name: str) -> int:
    """Replace the mentions in mails to others (the mails to the person hold none
    any more). The database picks the candidates; the pattern decides."""
    escaped = needles_of([*needles, *(html.escape(n) for n in needles)])
    text_pattern, html_pattern = whole_words(needles), whole_words(escaped)
    match = Q()
    for needle in needles:
        match |= Q(subject__icontains=needle) | Q(body_text__icontains=needle)
    for needle in escaped:
        match |= Q(body_html__icontains=needle)
    candidates = (
        OutboxMail.objects.filter(match)
        .only("pk", "subject", "body_text", "body_html")
        .order_by("pk")
    )
    safe_name = html.escape(name)
    changed = []
    for mail in candidates.iterator(chunk_size=500):
        subject = text_pattern.sub(name, mail.subject)[:SUBJECT_LENGTH]
        body_text = text_pattern.sub(name, mail.body_text)
        body_html = html_pattern.sub(safe_name, mail.body_html)
        if (subject, body_text, body_html) == (
            mail.subject,
            mail.body_text,
            mail.body_html,
        ):
            continue  # the database's match was not a whole word
        mail.subject, mail.body_text, mail.body_html = subject, body_text, body_html
        mail.edited_at = timezone.now()
        changed.append(mail)
    OutboxMail.objects.bulk_update(
        changed, ["subject", "body_text", "body_html", "edited_at"], batch_size=500
    )
    return len(changed)

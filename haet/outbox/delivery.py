"""Delivery of outbox rows: claim, send over a reused SMTP connection, mark sent.

Each row goes through the same three steps as ever, one row at a time: claim it
(QUEUED -> SENDING with a conditional UPDATE: only one run can win), send it, mark it
SENT. What a batch adds is the SMTP connection: `deliver_batch` sends its rows over one
connection (`SmtpSession`), re-opened after MAX_MAILS_PER_CONNECTION mails or
MAX_CONNECTION_AGE, or when it breaks. Opening a connection (connect, EHLO, QUIT) cost
more than the mail itself; one per mail made the workers wait on the network.

Why batches of ids rather than one task per mail with a connection cached in the worker
process: a task per mail also pays Celery's round trips to Redis (fetch, ack) for every
mail, and the workers, mostly waiting, topped out far below the SMTP server's rate. A
batch task is idempotent as a whole: every row in it is claimed on its own, so a batch
that runs twice (a redelivery after a lost worker, acks_late) sends nothing twice, and
a row another batch or the sweep already claimed is skipped. A batch reads its rows
once, and writes one commit per mail (a mail's SENT and the next mail's claim share
it): the commit, not the query, is what a mail costs the database.

Failures stay per mail. A refused recipient releases only that row's claim (or fails
it for good) and the batch goes on. A broken connection is re-opened and the mail tried
once more, within the same attempt; if that fails too, the server is unreachable: the
row is released with its backoff and the batch's unclaimed rest is handed back, to be
published again later (`Delivery.later`), without spending any of their attempts.
"""

import contextlib
import logging
import smtplib
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formataddr, parseaddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haet.outbox.models import OutboxMail

logger = logging.getLogger(__name__)
Status = OutboxMail.Status

MAX_ATTEMPTS = 6  # the first try and five retries
# The on-commit publish normally delivers within seconds; the sweep steps in after this.
PUBLISH_GRACE = timedelta(minutes=1)
# How many ids one delivery task carries: large enough that connecting is a small part
# of the work, small enough that two workers share a fan-out evenly and a batch ends
# well inside the task's soft time limit (120 s) on a slow server.
BATCH_SIZE = 100
# One SMTP connection carries at most this many mails, for at most this long: servers
# cap mails per session and drop idle or old sessions, and a fresh one now and then
# bounds what a half-broken session can cost.
MAX_MAILS_PER_CONNECTION = 100
MAX_CONNECTION_AGE = 60.0  # seconds
# A batch stops claiming after this and hands its rest back: with EMAIL_TIMEOUT (20 s)
# per SMTP command, the mail in flight normally ends before the soft time limit (120 s),
# which would leave it SENDING for the sweep.
BATCH_SECONDS = 45.0


@dataclass(frozen=True)
class DeliveryResult:
    status: str  # "sent", "skipped", "retry", "failed"
    retry_in: timedelta | None = None


@dataclass
class Delivery:
    """What one batch did. `later`: {delay: ids} to publish again after the delay
    (a transient failure's backoff; 0 for a batch's rest cut off by its time budget)."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    later: dict[timedelta, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, result: DeliveryResult, mail_id: int) -> None:
        self.counts[result.status] += 1
        if result.retry_in is not None:
            self.later[result.retry_in].append(mail_id)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes after attempts 1..5."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def claim_mail(mail_id: int) -> OutboxMail | None:
    """QUEUED -> SENDING, or None if another run claimed it (or it is held, sent...)."""
    claimed = OutboxMail.objects.filter(pk=mail_id, status=Status.QUEUED).update(
        status=Status.SENDING,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return OutboxMail.objects.get(pk=mail_id)


def claim_read(mail: OutboxMail) -> OutboxMail | None:
    """claim_mail for a row read (QUEUED) at the start of a batch, in one query
    instead of two: the same conditional UPDATE, also requiring the row to be as it
    was read, so what we send is what we claimed. A queued row's text changes only
    through edit_mail (held, edited_at moves) and its attempts only through a claim
    or retry_mail. If it changed, claim it afresh and read it again."""
    claimed = OutboxMail.objects.filter(
        pk=mail.pk,
        status=Status.QUEUED,
        attempts=mail.attempts,
        edited_at=mail.edited_at,  # None compares as IS NULL
    ).update(
        status=Status.SENDING,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return claim_mail(mail.pk)
    mail.status = Status.SENDING
    mail.attempts += 1
    return mail


def sender() -> str:
    """DEFAULT_FROM_EMAIL, named after the conference unless it names itself:
    a workshop's mails come from its acronym, whatever workshop it is."""
    from haet.models import Conference  # outbox is below the conference models

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name:
        return settings.DEFAULT_FROM_EMAIL
    conference = Conference.objects.order_by("pk").first()
    label = (conference.acronym or conference.name) if conference else ""
    return formataddr((label, address)) if label else address


def to_message(mail: OutboxMail, *, from_email: str = "") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=from_email or sender(),
        to=[mail.to_email],
        headers={
            "Message-ID": mail.message_id,
            "X-Haet-Outbox-Id": str(mail.pk),
            "X-Haet-Outbox-Key": mail.dedupe_key,
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(mail.body_html, "text/html")
    return message


def is_connection_error(exc: BaseException) -> bool:
    """The session broke (or never opened), whatever the mail: worth a new one."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421  # "service not available, closing channel"
    # Refused, reset, timed out. (Every SMTPException is an OSError too: an answer
    # such as a refused recipient leaves the session usable.)
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _is_permanent(exc: BaseException) -> bool:
    """A 5xx answer about this mail will not change on retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(
            exc, smtplib.SMTPServerDisconnected
        )
    # Connection problems, timeouts and 4xx are transient; anything else (a bug)
    # would fail the same way again.
    return not isinstance(exc, smtplib.SMTPException | OSError | TimeoutError)


class SmtpSession:
    """One connection of the configured EMAIL_BACKEND, reused mail after mail.

    Opened on the first send, re-opened after MAX_MAILS_PER_CONNECTION mails,
    MAX_CONNECTION_AGE seconds or a connection error. A refused mail leaves the
    session usable (smtplib resets it), so only connection errors drop it.
    """

    def __init__(self) -> None:
        self.backend: BaseEmailBackend | None = None
        self.opened_at = 0.0
        self.mail_count = 0
        self.connection_count = 0  # how many it opened, for logs and tests
        self._sender = ""

    @property
    def sender(self) -> str:
        """The From address, read once per batch rather than once per mail."""
        if not self._sender:
            self._sender = sender()
        return self._sender

    def _ensure_open(self) -> BaseEmailBackend:
        worn = self.mail_count >= MAX_MAILS_PER_CONNECTION or (
            time.monotonic() - self.opened_at >= MAX_CONNECTION_AGE
        )
        if self.backend is not None and worn:
            self.close()
        if self.backend is None:
            backend = get_connection(fail_silently=False)
            # Opened here, so send_messages() sees an open connection and keeps it.
            backend.open()
            self.backend = backend
            self.opened_at = time.monotonic()
            self.mail_count = 0
            self.connection_count += 1
        return self.backend

    def _send_once(self, message: EmailMultiAlternatives) -> None:
        backend = self._ensure_open()
        self.mail_count += 1
        backend.send_messages([message])

    def send(self, message: EmailMultiAlternatives) -> None:
        """Send one message; on a broken connection, re-open and try once more.

        The retry is safe for the usual break, a session the server closed while it
        sat idle or reached its limit: the mail had not been handed over. A break
        after the server accepted the DATA but before its answer reached us is the
        stated limit (one duplicate, with the same Message-ID)."""
        try:
            self._send_once(message)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            logger.info("outbox: SMTP connection lost (%s); re-opening", exc)
            self.close()
            self._send_once(message)

    def close(self) -> None:
        if self.backend is None:
            return
        backend, self.backend = self.backend, None
        # A broken connection cannot say QUIT; that is no reason to fail the batch.
        with contextlib.suppress(Exception):
            backend.close()


def _send_claimed(
    mail: OutboxMail, session: SmtpSession
) -> tuple[DeliveryResult, bool]:
    """Send a claimed row. Never raises for a send error. On failure, record it on
    the row (released with a backoff, or FAILED); on success the caller writes SENT
    (`mark_sent`), before anything else is sent. Returns the result and whether the
    SMTP server looked unreachable."""
    try:
        session.send(to_message(mail, from_email=session.sender))
    except SoftTimeLimitExceeded:
        # Not the mail's fault, and it may have gone out: leave the row SENDING for
        # the sweep (the stated limit) and let the task stop; its unclaimed rest
        # stays queued, for the sweep too.
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= MAX_ATTEMPTS or _is_permanent(exc):
            OutboxMail.objects.filter(pk=mail.pk, status=Status.SENDING).update(
                status=Status.FAILED, last_error=error, claimed_at=None
            )
            logger.error("outbox: mail %s failed for good: %s", mail.pk, error)
            return DeliveryResult("failed"), False
        delay = backoff(mail.attempts)
        OutboxMail.objects.filter(pk=mail.pk, status=Status.SENDING).update(
            status=Status.QUEUED,
            last_error=error,
            claimed_at=None,
            # The sweep leaves it to the task's own retry unless that gets lost.
            next_attempt_at=timezone.now() + delay + PUBLISH_GRACE,
        )
        logger.warning("outbox: mail %s attempt %s: %s", mail.pk, mail.attempts, error)
        return DeliveryResult("retry", retry_in=delay), is_connection_error(exc)
    return DeliveryResult("sent"), False


def mark_sent(mail: OutboxMail) -> None:
    # QUEUED too: if the sweep re-queued a slow send meanwhile, SENT stops the copy.
    OutboxMail.objects.filter(
        pk=mail.pk, status__in=[Status.SENDING, Status.QUEUED]
    ).update(status=Status.SENT, sent_at=timezone.now(), last_error="")


def deliver_mail(mail_id: int) -> DeliveryResult:
    """Claim, send, mark sent. Idempotent: a second run finds nothing to claim.

    On failure, release the claim (QUEUED, with the error and a backoff) or, after the
    last attempt or a permanent refusal, mark it FAILED. Never raises for a send error.
    """
    mail = claim_mail(mail_id)
    if mail is None:
        return DeliveryResult("skipped")
    session = SmtpSession()
    try:
        result, _ = _send_claimed(mail, session)
    finally:
        session.close()
    if result.status == "sent":
        mark_sent(mail)
    return result


def deliver_batch(mail_ids: list[int]) -> Delivery:
    """deliver_mail for each id, in order, over one SMTP session. Idempotent.

    Stops early, handing the unclaimed rest back in `Delivery.later`, when the SMTP
    server is unreachable (after the backoff of the mail that found out) or when the
    batch has run for BATCH_SECONDS (at once, for another run to continue).
    Side effects: rows SENT, QUEUED with a backoff, or FAILED; mails sent.
    """
    session = SmtpSession()
    delivery = Delivery()
    started = time.monotonic()
    # One read for the batch; a row not queued now (sent, held, claimed by another
    # run) is skipped: whatever queues it again also publishes it again.
    queued = {
        mail.pk: mail
        for mail in OutboxMail.objects.filter(pk__in=mail_ids, status=Status.QUEUED)
    }
    # A mail sent whose SENT is not written yet. It is written in one transaction
    # with the next claim: one commit per mail instead of two, which is what a mail
    # cost most. Nothing is sent in between, so a crash can still duplicate only the
    # mail in flight (and if that transaction fails, SENT is written alone below).
    just_sent: OutboxMail | None = None
    try:
        for index, mail_id in enumerate(mail_ids):
            if time.monotonic() - started >= BATCH_SECONDS:
                rest = _still_queued(mail_ids[index:], queued)
                _hand_back(rest, timedelta(0), delivery)
                break
            read = queued.get(mail_id)
            if read is None:
                delivery.add(DeliveryResult("skipped"), mail_id)
                continue
            with transaction.atomic():
                if just_sent is not None:
                    mark_sent(just_sent)
                mail = claim_read(read)
            just_sent = None  # only once committed
            if mail is None:
                delivery.add(DeliveryResult("skipped"), mail_id)
                continue
            result, unreachable = _send_claimed(mail, session)
            delivery.add(result, mail_id)
            if result.status == "sent":
                just_sent = mail
            if unreachable and result.retry_in is not None:  # always: a retry
                # Trying the rest now would only wait on the same dead server, and
                # spend their attempts on it.
                rest = _still_queued(mail_ids[index + 1 :], queued)
                _hand_back(rest, result.retry_in, delivery)
                break
    finally:
        session.close()
        if just_sent is not None:
            mark_sent(just_sent)
    return delivery


def _still_queued(mail_ids: list[int], queued: dict) -> list[int]:
    return [mail_id for mail_id in mail_ids if mail_id in queued]


def _hand_back(mail_ids: list[int], delay: timedelta, delivery: Delivery) -> None:
    """Unclaimed rows this batch will not try: publish again after `delay`. Their
    next_attempt_at moves too, so the sweep does not publish them before then."""
    if not mail_ids:
        return
    OutboxMail.objects.filter(pk__in=mail_ids, status=Status.QUEUED).update(
        next_attempt_at=timezone.now() + delay + PUBLISH_GRACE
    )
    delivery.counts["handed_back"] += len(mail_ids)
    delivery.later[delay].extend(mail_ids)

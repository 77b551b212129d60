"""Writes to the outbox: queue, deliver, hold/release/edit/retry, sweep, preferences.

The life of a mail: `queue_mail` renders it and writes the row in the caller's
transaction, then publishes its id on commit. The `deliver` task claims the row
(QUEUED -> SENDING with a conditional UPDATE: only one run can win), sends it, and marks
it SENT. A failed attempt releases the claim (back to QUEUED with the error and a
backoff); the last one marks it FAILED for the chairs. `sweep_outbox` (beat, every
minute) publishes what is due but was never published (Redis was down, a message was
lost) and re-queues rows stuck in SENDING (their worker died).

The one stated limit: a worker killed after the SMTP server accepted a mail but before
SENT was written sends that mail once more, with the same Message-ID.
"""

import logging
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from haet.models import Conference
from haet.outbox.models import (
    SENSITIVE_TEMPLATES,
    MailPreference,
    OutboxMail,
    OutboxMailSubmission,
    ReminderSetting,
    format_offsets,
)

logger = logging.getLogger(__name__)
Status = OutboxMail.Status

DELIVER_TASK = "haet.outbox.tasks.deliver"
MAX_ATTEMPTS = 6  # the first try and five retries
# The on-commit publish normally delivers within seconds; the sweep steps in after this.
PUBLISH_GRACE = timedelta(minutes=1)
# A row the sweep published and that is still queued (a long backlog) is published
# again only after this, so a backlog does not pile up copies in Redis every minute.
REPUBLISH_AFTER = timedelta(minutes=5)
# Longer than the task's hard time limit (180 s): a row SENDING for this long has lost
# its worker.
STUCK_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 2000
# After a publish fails, skip publishing from this process for a while: a request that
# queues ten mails must not wait ten broker timeouts. The sweep delivers them later.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


# --- preferences -------------------------------------------------------------------
PREFERENCES: dict[str, str] = {}


def register_preference(key: str, label: str) -> None:
    """Declare a non-essential kind of mail users may turn off (e.g. "review_posted":
    "A new review was posted on a submission I review")."""
    PREFERENCES[key] = label


def wants_mail(user, key: str) -> bool:
    return not MailPreference.objects.filter(user=user, key=key, enabled=False).exists()


@transaction.atomic
def set_mail_preferences(user, choices: dict[str, bool]) -> None:
    """Record the user's yes/no for each registered non-essential kind of mail."""
    for key, enabled in choices.items():
        if key not in PREFERENCES:
            raise ValidationError(f"Unknown mail preference {key!r}.")
        MailPreference.objects.update_or_create(
            user=user, key=key, defaults={"enabled": enabled}
        )


# --- rendering ---------------------------------------------------------------------
def _render_plain(name: str, context: dict) -> str:
    # Subjects and text bodies are not HTML: no escaping, or "R&D" becomes "R&amp;D".
    return get_template(name).template.render(Context(context, autoescape=False))


def mail_context(context: dict) -> dict:
    full = dict(context)
    if "conference" not in full:
        full["conference"] = Conference.objects.current()
    full.setdefault("site_url", settings.SITE_URL)
    return full


def render_mail(template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of templates/emails/<template>/; context as given."""
    prefix = f"emails/{template}"
    subject = " ".join(_render_plain(f"{prefix}/subject.txt", context).split())
    body_text = _render_plain(f"{prefix}/body.txt", context).strip() + "\n"
    body_html = render_to_string(f"{prefix}/body.html", context)
    return subject[:300], body_text, body_html


def text_to_html(body_text: str, *, conference=None) -> str:
    """An HTML part for a text we did not render from an HTML template (a chair's
    edit, an allauth mail without one): the text, escaped, in the mail layout."""
    context: dict = {"body_text": body_text}
    if conference is not None:
        context["conference"] = conference
    return render_to_string("emails/_text_as_html.html", mail_context(context))


# --- queueing ----------------------------------------------------------------------
def queue_mail(
    *,
    to,
    template: str,
    context: dict,
    dedupe_key: str,
    essential: bool = True,
    preference: str | None = None,
    hold: bool = False,
    sensitive: bool = False,
    submissions: Iterable = (),
) -> OutboxMail | None:
    """Queue one mail to one recipient, in the caller's transaction.

    `to` is a User or an email address. Renders templates/emails/<template>/ now, with
    `conference` and `site_url` added to the context. Returns None, writing nothing,
    when `dedupe_key` was queued before (the same cause never mails twice) or when the
    mail is non-essential and the user turned `preference` off.
    `sensitive`: the mail carries a credential (a reset, verification or invitation
    link); chairs never see its text and cannot hold or edit it.
    `submissions`: every submission (or submission id) the mail is about; a chair
    conflicted with any of them does not see the mail. Pass it whenever the mail
    names a submission, its authors, reviewers or pseudonyms.
    Side effects: one OutboxMail row (and its submission links); delivery published
    after commit (unless held).
    """
    user = to if isinstance(to, get_user_model()) else None
    opted_out = (
        not essential
        and preference
        and user is not None
        and not wants_mail(user, preference)
    )
    if opted_out:
        return None
    if OutboxMail.objects.filter(dedupe_key=dedupe_key).exists():
        return None  # cheap early exit; the unique constraint below is the real guard
    subject, body_text, body_html = render_mail(template, mail_context(context))
    return queue_rendered(
        to=to,
        template=template,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        dedupe_key=dedupe_key,
        essential=essential,
        hold=hold,
        sensitive=sensitive,
        submissions=submissions,
    )


def queue_rendered(
    *,
    to,
    template: str,
    subject: str,
    body_text: str,
    body_html: str,
    dedupe_key: str,
    essential: bool = True,
    hold: bool = False,
    sensitive: bool = False,
    submissions: Iterable = (),
) -> OutboxMail | None:
    """queue_mail for a mail rendered elsewhere (allauth's): same row, same delivery."""
    user = to if isinstance(to, get_user_model()) else None
    now = timezone.now()
    # A credential-carrying template is sensitive even if a caller forgot to say so.
    sensitive = sensitive or template in SENSITIVE_TEMPLATES
    # Submission objects or ids (haet does not import the submissions app).
    submission_ids = sorted({int(getattr(s, "pk", s)) for s in submissions})
    if sensitive and hold:
        raise ValueError("A mail carrying a credential cannot be held.")
    try:
        # A savepoint: losing the race on the unique key must not break the caller's
        # transaction. Concurrent inserts of one key wait for each other in the
        # database, and exactly one wins.
        with transaction.atomic():
            mail = OutboxMail.objects.create(
                recipient=user,
                to_email=user.email if user is not None else to,
                template=template,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                dedupe_key=dedupe_key,
                is_essential=essential,
                is_sensitive=sensitive,
                status=Status.HELD if hold else Status.QUEUED,
                next_attempt_at=now + PUBLISH_GRACE,
            )
            OutboxMailSubmission.objects.bulk_create(
                OutboxMailSubmission(mail=mail, submission_id=submission_id)
                for submission_id in submission_ids
            )
    except IntegrityError:
        if OutboxMail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if not hold:
        transaction.on_commit(partial(publish, [mail.pk]))
    return mail


def _is_eager() -> bool:
    # Read from Django settings (the Celery app's source) so tests can switch it.
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def publish(mail_ids: Iterable[int]) -> int:
    """Hand rows to the workers; never raises and never waits long.

    Eager (no Redis, the embedded default): deliver in this process, once; a failure
    is recorded on the row and logged, never raised into the web request.
    With Redis: publish one task per row; if the broker is unreachable, give up (the
    row stays queued and the sweep publishes it later). Returns how many went out.
    """
    global _broker_down_until
    mail_ids = list(mail_ids)
    if _is_eager():
        for mail_id in mail_ids:
            try:
                deliver_mail(mail_id)
            except Exception:
                logger.exception("outbox: eager delivery of mail %s failed", mail_id)
        return len(mail_ids)
    if time.monotonic() < _broker_down_until:
        logger.warning("outbox: broker recently down; %s left to the sweep", mail_ids)
        return 0
    published = 0
    try:
        with current_app.producer_or_acquire() as producer:
            for mail_id in mail_ids:
                current_app.send_task(
                    DELIVER_TASK, args=[mail_id], producer=producer, retry=False
                )
                published += 1
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.exception(
            "outbox: could not publish %d mails; the sweep will deliver them",
            len(mail_ids) - published,
        )
    return published


# --- delivery ----------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "skipped", "retry", "failed"
    retry_in: timedelta | None = None


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


def to_message(mail: OutboxMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
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


def deliver_mail(mail_id: int) -> Outcome:
    """Claim, send, mark sent. Idempotent: a second run finds nothing to claim.

    On failure, release the claim (QUEUED, with the error and a backoff) or, after the
    last attempt or a permanent refusal, mark it FAILED. Never raises for a send error.
    """
    mail = claim_mail(mail_id)
    if mail is None:
        return Outcome("skipped")
    try:
        to_message(mail).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        now = timezone.now()
        if mail.attempts >= MAX_ATTEMPTS or _is_permanent(exc):
            OutboxMail.objects.filter(pk=mail_id, status=Status.SENDING).update(
                status=Status.FAILED, last_error=error, claimed_at=None
            )
            logger.error("outbox: mail %s failed for good: %s", mail_id, error)
            return Outcome("failed")
        delay = backoff(mail.attempts)
        OutboxMail.objects.filter(pk=mail_id, status=Status.SENDING).update(
            status=Status.QUEUED,
            last_error=error,
            claimed_at=None,
            # The sweep leaves it to the task's own retry unless that gets lost.
            next_attempt_at=now + delay + PUBLISH_GRACE,
        )
        logger.warning("outbox: mail %s attempt %s: %s", mail_id, mail.attempts, error)
        return Outcome("retry", retry_in=delay)
    # QUEUED too: if the sweep re-queued a slow send meanwhile, SENT stops the copy.
    OutboxMail.objects.filter(
        pk=mail_id, status__in=[Status.SENDING, Status.QUEUED]
    ).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return Outcome("sent")


# --- the sweep ---------------------------------------------------------------------
@transaction.atomic
def sweep_outbox(*, now: datetime | None = None) -> dict[str, int]:
    """Re-queue rows stuck in SENDING and publish queued rows that are due.

    Side effects: stuck rows back to QUEUED; due rows get a later next_attempt_at and
    are published after commit.
    """
    now = now or timezone.now()
    requeued = OutboxMail.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(
        status=Status.QUEUED,
        claimed_at=None,
        next_attempt_at=now,
        last_error="Its worker was lost while sending; queued again.",
    )
    due = OutboxMail.objects.filter(status=Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if connection.features.has_select_for_update_skip_locked:
        # Two overlapping sweeps split the rows instead of publishing them twice.
        due = due.select_for_update(skip_locked=True)
    mail_ids = list(
        due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if mail_ids:
        OutboxMail.objects.filter(pk__in=mail_ids).update(
            next_attempt_at=now + REPUBLISH_AFTER
        )
        transaction.on_commit(partial(publish, mail_ids))
    if requeued or mail_ids:
        logger.info("outbox sweep: %s re-queued, %s published", requeued, len(mail_ids))
    return {"requeued": requeued, "published": len(mail_ids)}


# --- chair actions -----------------------------------------------------------------
def _move(mail: OutboxMail, source: str, **fields) -> bool:
    moved = OutboxMail.objects.filter(pk=mail.pk, status=source).update(**fields)
    mail.refresh_from_db()
    return bool(moved)


@transaction.atomic
def hold_mail(mail: OutboxMail, *, by) -> bool:
    """Stop a queued mail before a worker claims it. False if it was too late.
    A mail carrying a credential is never held: holding leads to editing, and a
    held reset link would be a chair's to read or redirect."""
    if mail.is_sensitive:
        raise ValidationError("A mail carrying a credential cannot be held.")
    return _move(mail, Status.QUEUED, status=Status.HELD, held_by=by)


@transaction.atomic
def release_mail(mail: OutboxMail, *, by) -> bool:
    """Let a held mail go. Side effect: delivery published after commit."""
    moved = _move(
        mail,
        Status.HELD,
        status=Status.QUEUED,
        next_attempt_at=timezone.now() + PUBLISH_GRACE,
    )
    if moved:
        transaction.on_commit(partial(publish, [mail.pk]))
    return moved


@transaction.atomic
def retry_mail(mail: OutboxMail, *, by) -> bool:
    """Try a failed mail again, with a fresh set of attempts."""
    moved = _move(
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
def edit_mail(mail: OutboxMail, *, subject: str, body_text: str, by) -> OutboxMail:
    """Rewrite a held mail; its HTML part becomes the new text in the mail layout.
    Never a mail carrying a credential (its text is not the chairs' to read)."""
    if mail.is_sensitive:
        raise ValidationError("A mail carrying a credential cannot be edited.")
    body_text = body_text.replace("\r\n", "\n").strip() + "\n"
    subject = " ".join(subject.split())
    if not subject or not body_text.strip():
        raise ValidationError("A mail needs a subject and a text.")
    moved = _move(
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


@transaction.atomic
def save_reminder_setting(
    key: str, *, enabled: bool, offsets: Iterable[timedelta] | None, by
) -> ReminderSetting:
    """A chair turns a reminder on or off or changes its steps (None: the default)."""
    setting, _ = ReminderSetting.objects.update_or_create(
        key=key,
        defaults={
            "enabled": enabled,
            "offsets": format_offsets(offsets) if offsets else "",
            "updated_by": by,
        },
    )
    return setting

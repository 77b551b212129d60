"""Writes to the outbox: queue, deliver, hold/release/edit/retry, sweep, preferences.

The life of a mail: `queue_mail` renders it and writes the row in the caller's
transaction, then publishes its id on commit, in batches of ids (`publish`). The
`deliver_batch` task (haet.outbox.delivery) claims each row (QUEUED -> SENDING with a
conditional UPDATE: only one run can win), sends it over the batch's one SMTP
connection, and marks it SENT. A failed attempt releases that row's claim (back to
QUEUED with the error and a backoff); the last one marks it FAILED for the chairs.
`sweep_outbox` (beat, every minute) publishes what is due but was never published
(Redis was down, a message was lost) and re-queues rows stuck in SENDING (their
worker died).

The one stated limit: a worker killed after the SMTP server accepted a mail but before
SENT was written sends that mail once more, with the same Message-ID.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from haet.models import Conference
from haet.outbox.delivery import BATCH_SIZE, PUBLISH_GRACE, deliver_batch

# The delivery half of the outbox lives in haet.outbox.delivery; these names stay
# importable from here, where callers and tests have always found them.
from haet.outbox.delivery import MAX_ATTEMPTS as MAX_ATTEMPTS
from haet.outbox.delivery import Outcome as Outcome
from haet.outbox.delivery import backoff as backoff
from haet.outbox.delivery import claim_mail as claim_mail
from haet.outbox.delivery import deliver_mail as deliver_mail
from haet.outbox.delivery import to_message as to_message
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

DELIVER_TASK = "haet.outbox.tasks.deliver_batch"
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
        publish_on_commit(mail.pk)
    return mail


class _PublishGroup:
    """The mails one transaction queues one after another, published together.

    Each mail still registers its own on-commit callback (a `_Flush`), so a savepoint
    rolled back or a test capturing callbacks sees one per mail, as before. The first
    of the group's callbacks to run publishes its own mail and every later one in
    batches; the others find theirs gone already. Publishing an id twice would only
    cost a no-op claim, but it would cost a task per mail, which is what this saves:
    releasing 300 decisions publishes 3 batches, not 300 tasks.
    """

    def __init__(self):
        self.mail_ids: list[int] = []
        self.published: set[int] = set()  # indexes into mail_ids

    def flush_from(self, index: int) -> None:
        indexes = [
            i for i in range(index, len(self.mail_ids)) if i not in self.published
        ]
        self.published.update(indexes)
        if indexes:
            publish([self.mail_ids[i] for i in indexes])


@dataclass(frozen=True)
class _Flush:
    group: _PublishGroup
    index: int

    def __call__(self) -> None:
        self.group.flush_from(self.index)


def publish_on_commit(mail_id: int) -> None:
    """Publish `mail_id` when the current transaction commits (at once outside one),
    together with the mails queued right before it in the same transaction.

    A mail joins the group of the last callback registered if that callback is one of
    ours and was registered under the same savepoints: a rollback then discards both
    or neither, so a group never publishes a mail whose savepoint was rolled back.
    (`run_on_commit` is Django's list of (savepoints, callback, robust).)"""
    connection = transaction.get_connection()
    group = None
    if connection.in_atomic_block and connection.run_on_commit:
        savepoints, last, *_ = connection.run_on_commit[-1]
        if isinstance(last, _Flush) and savepoints == set(connection.savepoint_ids):
            group = last.group
    group = group or _PublishGroup()
    group.mail_ids.append(mail_id)
    transaction.on_commit(_Flush(group, len(group.mail_ids) - 1))


def _is_eager() -> bool:
    # Read from Django settings (the Celery app's source) so tests can switch it.
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def batches(mail_ids: list[int], size: int = BATCH_SIZE) -> list[list[int]]:
    return [mail_ids[i : i + size] for i in range(0, len(mail_ids), size)]


def publish(mail_ids: Iterable[int], *, countdown: float = 0) -> int:
    """Hand rows to the workers; never raises and never waits long.

    Eager (no Redis, the embedded default): deliver in this process, once, over one
    SMTP connection; a failure is recorded on the row and logged, never raised into
    the web request. A later retry (`countdown`) is left to the sweep.
    With Redis: publish one `deliver_batch` task per BATCH_SIZE ids, run after
    `countdown` seconds; if the broker is unreachable, give up (the rows stay queued
    and the sweep publishes them later). Returns how many ids went out.
    """
    global _broker_down_until
    mail_ids = list(mail_ids)
    if _is_eager():
        if countdown:
            return 0
        for batch in batches(mail_ids):
            try:
                deliver_batch(batch)
            except Exception:
                logger.exception("outbox: eager delivery of mails %s failed", batch)
        return len(mail_ids)
    if time.monotonic() < _broker_down_until:
        logger.warning("outbox: broker recently down; %s left to the sweep", mail_ids)
        return 0
    published = 0
    try:
        with current_app.producer_or_acquire() as producer:
            for batch in batches(mail_ids):
                current_app.send_task(
                    DELIVER_TASK,
                    args=[batch],
                    countdown=countdown or None,
                    producer=producer,
                    retry=False,
                )
                published += len(batch)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.exception(
            "outbox: could not publish %d mails; the sweep will deliver them",
            len(mail_ids) - published,
        )
    return published


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

"""Queueing mail: render it, write the row in the caller's transaction, publish its
id on commit. The sweep, the chairs' actions and preferences have their own
modules (haet.outbox.sweep, .moderation, .preferences); delivery is
haet.outbox.delivery.

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
from typing import cast

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from haet.models import Conference, User
from haet.outbox.delivery import BATCH_SIZE, PUBLISH_GRACE, deliver_batch
from haet.outbox.models import SENSITIVE_TEMPLATES, OutboxMail, OutboxMailSubmission
from haet.outbox.preferences import wants_mail

logger = logging.getLogger(__name__)
Status = OutboxMail.Status

DELIVER_TASK = "haet.outbox.tasks.deliver_batch"


# After a publish fails, skip publishing from this process for a while: a request that
# queues ten mails must not wait ten broker timeouts. The sweep delivers them later.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def _render_plain(name: str, context: dict) -> str:
    # Subjects and text bodies are not HTML: no escaping, or "R&D" becomes "R&amp;D".
    template = cast(DjangoTemplate, get_template(name))  # the one engine: settings
    return template.template.render(Context(context, autoescape=False))


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


def text_to_html(body_text: str, *, conference: Conference | None = None) -> str:
    """An HTML part for a text we did not render from an HTML template (a chair's
    edit, an allauth mail without one): the text, escaped, in the mail layout."""
    context: dict = {"body_text": body_text}
    if conference is not None:
        context["conference"] = conference
    return render_to_string("emails/_text_as_html.html", mail_context(context))


# --- queueing ----------------------------------------------------------------------
def queue_mail(
    *,
    to: User | str,
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
    to: User | str,
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
                to_email=to.email if isinstance(to, User) else to,
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

    def __init__(self) -> None:
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

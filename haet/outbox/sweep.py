"""The sweep (beat, every minute): publish what is due but was never published
(Redis was down, a message was lost) and re-queue rows stuck in SENDING (their
worker died).
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from haet.outbox.models import OutboxMail
from haet.outbox.services import publish

logger = logging.getLogger(__name__)
Status = OutboxMail.Status

# A row the sweep published and that is still queued (a long backlog) is published
# again only after this, so a backlog does not pile up copies in Redis every minute.
REPUBLISH_AFTER = timedelta(minutes=5)
# Longer than the task's hard time limit (180 s): a row SENDING for this long has lost
# its worker.
STUCK_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 2000


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

"""Batches over one SMTP connection, against the real thing: Redis, a Celery worker
process, an SMTP server that misbehaves.

Run with REDIS_URL and a PostgreSQL DATABASE_URL (CI does); they fail under CI if a
service is missing and skip elsewhere with the reason.
"""

import time

import pytest
from django.db import transaction

from haet.outbox import services
from haet.outbox.models import OutboxMail
from tests.outbox.harness import wait_until

pytestmark = pytest.mark.services
Status = OutboxMail.Status


def queue_many(count: int, *, to=None) -> list[OutboxMail]:
    """`count` mails queued in one transaction, as `send decisions` does."""
    to = to or {}
    with transaction.atomic():
        return [
            services.queue_mail(
                to=to.get(n, f"author{n}@example.org"),
                template="_test",
                context={"name": "Ada", "title": f"#{n}"},
                dedupe_key=f"decision:{n}:accept",
            )
            for n in range(count)
        ]


def settled(count: int) -> bool:
    return (
        OutboxMail.objects.filter(status__in=[Status.SENT, Status.FAILED]).count()
        == count
    )


def test_a_fan_out_goes_out_over_fewer_connections_than_mails(worker, smtp_sink):
    mails = queue_many(250)

    assert wait_until(lambda: settled(250), timeout=60)
    time.sleep(0.5)  # room for a duplicate to show up, if there were one
    assert sorted(smtp_sink.counts().values()) == [1] * 250
    assert set(smtp_sink.keys()) == {mail.dedupe_key for mail in mails}
    # Published as batches of BATCH_SIZE ids, each over one connection.
    assert smtp_sink.connections == 3


def test_a_connection_dropped_mid_batch_loses_and_duplicates_nothing(worker, smtp_sink):
    smtp_sink.drop_at = {7, 30}  # the server vanishes during those mails' DATA

    mails = queue_many(40)

    assert wait_until(lambda: settled(40), timeout=60)
    time.sleep(0.5)
    assert sorted(smtp_sink.counts().values()) == [1] * 40
    statuses = OutboxMail.objects.values_list("status", "attempts")
    assert sorted(statuses) == [(Status.SENT, 1)] * 40  # retried within the attempt
    assert set(smtp_sink.keys()) == {mail.dedupe_key for mail in mails}
    assert smtp_sink.connections == 3


def test_a_refused_recipient_does_not_block_the_batch(worker, smtp_sink):
    smtp_sink.refuse = {"nobody@example.org"}

    mails = queue_many(20, to={5: "nobody@example.org"})

    assert wait_until(lambda: settled(20), timeout=60)
    refused = OutboxMail.objects.get(pk=mails[5].pk)
    assert (refused.status, refused.attempts) == (Status.FAILED, 1)
    assert sorted(smtp_sink.counts().values()) == [1] * 19
    assert set(smtp_sink.keys()) == {m.dedupe_key for m in mails[:5] + mails[6:]}
    assert smtp_sink.connections == 1


def test_a_batch_published_three_times_sends_each_mail_once(worker, smtp_sink):
    """The on-commit publish, a redelivery and the sweep can all carry a batch."""
    mails = queue_many(30)
    mail_ids = [mail.pk for mail in mails]

    services.publish(mail_ids)
    services.publish(mail_ids)

    assert wait_until(lambda: settled(30), timeout=60)
    time.sleep(1.0)  # the later copies run after the first: let them
    assert sorted(smtp_sink.counts().values()) == [1] * 30
    assert smtp_sink.connections == 1  # the copies found nothing to send

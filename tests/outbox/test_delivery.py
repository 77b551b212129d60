"""Delivery in batches over one SMTP connection, against a real SMTP server (the
tests' sink), in this process: what the worker's `deliver_batch` task does."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from haet.outbox import delivery, tasks
from haet.outbox.models import OutboxMail
from haet.outbox.moderation import edit_mail, hold_mail, release_mail
from haet.outbox.services import queue_mail
from haet.outbox.sweep import sweep_outbox
from tests.outbox.harness import free_port

pytestmark = pytest.mark.django_db
Status = OutboxMail.Status


@pytest.fixture
def smtp(settings, smtp_sink):
    """Mail goes over SMTP to the sink, as in production."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_TIMEOUT = 5
    return smtp_sink


def queue_many(count: int, *, to=None) -> list[OutboxMail]:
    """`count` mails queued in one transaction, as `send decisions` does."""
    to = to or {}
    with transaction.atomic():
        return [
            queue_mail(
                to=to.get(n, f"author{n}@example.org"),
                template="_test",
                context={"name": "Ada", "title": f"#{n}"},
                dedupe_key=f"decision:{n}:accept",
            )
            for n in range(count)
        ]


def keys(mails) -> list[str]:
    return [mail.dedupe_key for mail in mails]


def rows(mails) -> list[tuple[str, int]]:
    by_pk = {m.pk: m for m in OutboxMail.objects.filter(pk__in=[m.pk for m in mails])}
    return [(by_pk[m.pk].status, by_pk[m.pk].attempts) for m in mails]


def test_mails_queued_together_go_out_over_one_connection(
    conference, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mails = queue_many(30)

    assert smtp.keys() == keys(mails)
    assert smtp.connections == 1
    assert rows(mails) == [(Status.SENT, 1)] * 30


def test_a_connection_carries_a_limited_number_of_mails(
    conference, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "MAX_MAILS_PER_CONNECTION", 10)

    with django_capture_on_commit_callbacks(execute=True):
        mails = queue_many(25)

    assert smtp.keys() == keys(mails)
    assert smtp.connections == 3


@pytest.mark.parametrize("drop_at", [{1}, {6}, {6, 20}], ids=["first", "6th", "two"])
def test_a_connection_dropped_mid_mail_loses_and_duplicates_nothing(
    conference, smtp, drop_at, django_capture_on_commit_callbacks
):
    smtp.drop_at = drop_at  # the server vanishes before accepting that mail

    with django_capture_on_commit_callbacks(execute=True):
        mails = queue_many(25)

    assert sorted(smtp.keys()) == sorted(keys(mails))
    assert sorted(smtp.counts().values()) == [1] * 25
    # Re-opened and retried within the same attempt.
    assert rows(mails) == [(Status.SENT, 1)] * 25
    assert smtp.connections == 1 + len(drop_at)


def test_a_refused_recipient_fails_alone_and_the_batch_goes_on(
    conference, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse = {"nobody@example.org"}

    with django_capture_on_commit_callbacks(execute=True):
        mails = queue_many(10, to={3: "nobody@example.org"})

    refused = OutboxMail.objects.get(pk=mails[3].pk)
    assert smtp.keys() == keys(mails[:3] + mails[4:])
    assert (refused.status, refused.attempts) == (Status.FAILED, 1)
    assert "550" in refused.last_error
    assert rows(mails[:3] + mails[4:]) == [(Status.SENT, 1)] * 9
    assert smtp.connections == 1  # the refusal did not cost the session


def test_delivering_a_batch_twice_sends_each_mail_once(conference, smtp):
    mails = queue_many(10)  # its on-commit publish never ran
    mail_ids = [mail.pk for mail in mails]

    first = tasks.deliver_batch.apply(args=[mail_ids])
    second = tasks.deliver_batch.apply(args=[mail_ids])

    assert (first.result, second.result) == ({"sent": 10}, {"skipped": 10})
    assert smtp.keys() == keys(mails)
    assert smtp.connections == 1  # the second run had nothing to send: no connection
    assert rows(mails) == [(Status.SENT, 1)] * 10


def test_a_server_that_keeps_dropping_spends_one_attempt_and_hands_the_rest_back(
    conference, smtp
):
    mails = queue_many(10)
    mail_ids = [mail.pk for mail in mails]
    smtp.drop_at = {4, 5}  # mail 4, and its retry on a fresh connection

    first = tasks.deliver_batch.apply(args=[mail_ids])
    later = tasks.deliver_batch.apply(args=[mail_ids])  # as its retry would, later

    assert first.result == {"sent": 3, "retry": 1, "handed_back": 6}
    assert later.result == {"skipped": 3, "sent": 7}
    assert sorted(smtp.counts().values()) == [1] * 10
    # Only the mail that met the broken server spent an attempt.
    assert (
        rows(mails)
        == [(Status.SENT, 1)] * 3 + [(Status.SENT, 2)] + [(Status.SENT, 1)] * 6
    )


def test_an_unreachable_server_leaves_the_batch_to_the_sweep_unspent(
    conference, smtp, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        mails = queue_many(5)
    after_outage = rows(mails)
    settings.EMAIL_PORT = smtp.port

    soon = sweep_outbox(now=timezone.now() + timedelta(seconds=30))
    with django_capture_on_commit_callbacks(execute=True):
        later = sweep_outbox(now=timezone.now() + timedelta(minutes=3))

    assert after_outage == [(Status.QUEUED, 1)] + [(Status.QUEUED, 0)] * 4
    assert (soon["published"], later["published"]) == (0, 5)
    assert sorted(smtp.keys()) == sorted(keys(mails))
    assert rows(mails) == [(Status.SENT, 2)] + [(Status.SENT, 1)] * 4


def test_a_batch_out_of_time_hands_its_rest_back_unspent(conference, smtp, monkeypatch):
    mails = queue_many(5)
    mail_ids = [mail.pk for mail in mails]
    monkeypatch.setattr(delivery, "BATCH_SECONDS", 0.0)  # out of time at once

    cut_off = tasks.deliver_batch.apply(args=[mail_ids])
    after_cut_off = rows(mails)
    monkeypatch.undo()
    resumed = tasks.deliver_batch.apply(args=[mail_ids])

    assert cut_off.result == {"handed_back": 5}
    assert after_cut_off == [(Status.QUEUED, 0)] * 5
    assert resumed.result == {"sent": 5}
    assert smtp.keys() == keys(mails)


def test_a_mail_edited_after_the_batch_read_it_goes_out_as_edited(
    conference, chair, smtp
):
    [mail] = queue_many(1)
    read = OutboxMail.objects.get(pk=mail.pk)  # what a batch read at its start
    hold_mail(mail, by=chair)
    edit_mail(mail, subject="Corrected", body_text="New text", by=chair)
    release_mail(mail, by=chair)  # queued again before the batch claims it

    claimed = delivery.claim_read(read)

    assert (claimed.subject, claimed.body_text) == ("Corrected", "New text\n")
    assert (claimed.status, claimed.attempts) == (Status.SENDING, 1)


def test_mails_come_from_the_conference_by_its_acronym(conference, settings):
    """Another workshop's mails carry its own name ("ÉCO 2027"), not HAET's;
    an operator's DEFAULT_FROM_EMAIL that names itself wins."""
    from email import message_from_bytes
    from email.header import decode_header, make_header

    conference.acronym = "ÉCO 2027"
    conference.save()
    [mail] = queue_many(1)

    sent = message_from_bytes(delivery.to_message(mail).message().as_bytes())

    assert str(make_header(decode_header(sent["From"]))) == (
        "ÉCO 2027 <noreply@haet.example>"
    )
    settings.DEFAULT_FROM_EMAIL = "Program chairs <chairs@eco.example>"
    assert delivery.to_message(mail).from_email == settings.DEFAULT_FROM_EMAIL

import contextlib
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haet.outbox import tasks
from haet.outbox.delivery import MAX_ATTEMPTS, DeliveryResult, claim_mail, deliver_mail
from haet.outbox.models import MailPreference, OutboxMail
from haet.outbox.moderation import edit_mail, hold_mail, release_mail, retry_mail
from haet.outbox.preferences import (
    set_mail_preferences,
    wants_mail,
)
from haet.outbox.services import queue_mail, queue_rendered
from haet.outbox.sweep import sweep_outbox

pytestmark = pytest.mark.django_db
Status = OutboxMail.Status


def queue(to, key="test:1", **kwargs):
    return queue_mail(
        to=to,
        template="_test",
        context={"name": "Ada", "title": "R&D <b>bold</b>"},
        dedupe_key=key,
        **kwargs,
    )


def test_queue_mail_renders_text_and_html_with_the_conference(conference, author):
    mail = queue(author)

    assert mail.subject == "[HAET 2022] Hello Ada"
    assert 'about "R&D <b>bold</b>"' in mail.body_text  # text is not HTML-escaped
    assert "R&amp;D &lt;b&gt;bold&lt;/b&gt;" in mail.body_html  # HTML escapes it
    assert "Hardware Aware Efficient Training" in mail.body_text
    assert "http://127.0.0.1:8000/" in mail.body_html
    assert (mail.to_email, mail.recipient, mail.status) == (
        author.email,
        author,
        Status.QUEUED,
    )


def test_queue_mail_is_delivered_after_commit(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue(author)

    mail.refresh_from_db()
    assert [m.to for m in mailoutbox] == [[author.email]]
    assert mailoutbox[0].extra_headers["Message-ID"] == mail.message_id
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    assert (mail.status, mail.attempts) == (Status.SENT, 1)
    assert mail.sent_at is not None


def test_same_dedupe_key_queues_one_mail(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(author)
        second = queue(author)
        third = queue("someone@example.org")

    assert first is not None
    assert (second, third) == (None, None)
    assert OutboxMail.objects.count() == 1
    assert len(mailoutbox) == 1


class Rollback(Exception):
    pass


def test_mails_around_a_rolled_back_savepoint_are_delivered_and_its_own_is_not(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    # publish_on_commit groups the mails one transaction queues; a savepoint rolled
    # back in between must neither lose the mails around it nor send its own.
    with django_capture_on_commit_callbacks(execute=True):
        queue(author, key="test:before")
        with contextlib.suppress(Rollback), transaction.atomic():
            queue(author, key="test:rolled-back")
            raise Rollback
        queue(author, key="test:after")

    assert sorted(m.extra_headers["X-Haet-Outbox-Key"] for m in mailoutbox) == [
        "test:after",
        "test:before",
    ]
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_dedupe_race_losing_the_insert_keeps_the_callers_transaction(
    conference, author
):
    # Another transaction inserted the key between our existence check and our
    # insert: the unique constraint answers, inside a savepoint.
    queue_rendered(
        to=author,
        template="_test",
        subject="s",
        body_text="t",
        body_html="h",
        dedupe_key="race",
    )
    with transaction.atomic():
        again = queue_rendered(
            to=author,
            template="_test",
            subject="s",
            body_text="t",
            body_html="h",
            dedupe_key="race",
        )
        assert OutboxMail.objects.count() == 1  # the transaction is still usable

    assert again is None


def test_opted_out_preference_queues_nothing(conference, reviewer):
    MailPreference.objects.create(user=reviewer, key="review_posted", enabled=False)

    mail = queue(reviewer, essential=False, preference="review_posted")

    assert mail is None
    assert OutboxMail.objects.count() == 0


def test_essential_mail_ignores_the_preference(conference, reviewer):
    MailPreference.objects.create(user=reviewer, key="review_posted", enabled=False)

    mail = queue(reviewer, essential=True, preference="review_posted")

    assert mail is not None


def test_non_essential_mail_goes_without_an_opt_out(conference, reviewer):
    assert queue(reviewer, essential=False, preference="review_posted") is not None


def test_deliver_twice_sends_once(conference, author, mailoutbox):
    mail = queue(author)

    tasks.deliver.apply(args=[mail.pk])
    tasks.deliver.apply(args=[mail.pk])

    assert len(mailoutbox) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Status.SENT, 1)


def test_smtp_failure_releases_the_claim_with_the_error(conference, author, smtp_down):
    mail = queue(author)

    result = deliver_mail(mail.pk)

    mail.refresh_from_db()
    assert result == DeliveryResult("retry", retry_in=timedelta(minutes=1))
    assert (mail.status, mail.attempts) == (Status.QUEUED, 1)
    assert mail.last_error.startswith("SMTPServerDisconnected")
    assert mail.next_attempt_at > timezone.now()


def test_smtp_failure_fails_after_the_last_retry(conference, author, smtp_down):
    mail = queue(author)

    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(Retry):  # each attempt asks Celery for a later retry
            tasks.deliver.apply(args=[mail.pk])
    last = tasks.deliver.apply(args=[mail.pk])

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert "Connection unexpectedly closed" in mail.last_error
    assert last.result == "failed"


def test_permanent_refusal_fails_at_once(conference, author, smtp_refuses):
    mail = queue(author)

    tasks.deliver.apply(args=[mail.pk])

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Status.FAILED, 1)


def test_eager_delivery_failure_does_not_break_the_request(
    conference, author, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue(author)

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Status.QUEUED, 1)


def test_held_mail_is_not_sent(
    conference, author, chair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue(author, hold=True)
    tasks.deliver.apply(args=[mail.pk])
    sweep_outbox(now=timezone.now() + timedelta(hours=1))

    mail.refresh_from_db()
    assert mail.status == Status.HELD
    assert mailoutbox == []


def test_release_sends_a_held_mail(
    conference, author, chair, mailoutbox, django_capture_on_commit_callbacks
):
    mail = queue(author, hold=True)

    with django_capture_on_commit_callbacks(execute=True):
        released = release_mail(mail, by=chair)

    assert released is True
    assert len(mailoutbox) == 1
    mail.refresh_from_db()
    assert mail.status == Status.SENT


def test_hold_stops_a_queued_mail(conference, author, chair, mailoutbox):
    mail = queue(author)

    assert hold_mail(mail, by=chair) is True
    tasks.deliver.apply(args=[mail.pk])

    assert (mail.status, mail.held_by) == (Status.HELD, chair)
    assert mailoutbox == []


def test_hold_is_too_late_for_a_sent_mail(conference, author, chair):
    mail = queue(author)
    deliver_mail(mail.pk)

    assert hold_mail(mail, by=chair) is False
    assert mail.status == Status.SENT


def test_edit_rewrites_a_held_mail_and_escapes_its_html(conference, author, chair):
    mail = queue(author, hold=True)

    edit_mail(mail, subject="New  subject", body_text="Hi <script>x</script>", by=chair)

    assert (mail.subject, mail.body_text) == ("New subject", "Hi <script>x</script>\n")
    assert "&lt;script&gt;" in mail.body_html
    assert "<script>" not in mail.body_html
    assert mail.edited_by == chair


def test_edit_refuses_a_queued_mail(conference, author, chair):
    mail = queue(author)

    with pytest.raises(ValidationError):
        edit_mail(mail, subject="x", body_text="y", by=chair)


def test_retry_gives_a_failed_mail_fresh_attempts(
    conference, author, chair, smtp_refuses, settings, mailoutbox
):
    mail = queue(author)
    deliver_mail(mail.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert retry_mail(mail, by=chair) is True
    assert (mail.status, mail.attempts) == (Status.QUEUED, 0)
    tasks.deliver.apply(args=[mail.pk])

    assert len(mailoutbox) == 1


def test_sweep_requeues_rows_stuck_sending_and_publishes_them(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    mail = queue(author)
    claim_mail(mail.pk)  # a worker claimed it, then died

    with django_capture_on_commit_callbacks(execute=True):
        early = sweep_outbox(now=timezone.now() + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        late = sweep_outbox(now=timezone.now() + timedelta(minutes=10))

    assert early == {"requeued": 0, "published": 0}
    assert late == {"requeued": 1, "published": 1}
    assert len(mailoutbox) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Status.SENT, 2)


def test_sweep_publishes_queued_rows_whose_publish_was_lost(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    mail = queue(author)  # its on-commit publish never ran (Redis was down)

    with django_capture_on_commit_callbacks(execute=True):
        fresh = sweep_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        due = sweep_outbox(now=timezone.now() + timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        again = sweep_outbox(now=timezone.now() + timedelta(minutes=3))

    assert (fresh["published"], due["published"], again["published"]) == (0, 1, 0)
    assert [m.extra_headers["X-Haet-Outbox-Id"] for m in mailoutbox] == [str(mail.pk)]


def test_sweep_leaves_a_failed_attempt_to_its_backoff(conference, author, smtp_down):
    mail = queue(author)
    deliver_mail(mail.pk)  # next attempt in a minute, by the task's retry

    soon = sweep_outbox(now=timezone.now() + timedelta(seconds=30))
    lost = sweep_outbox(now=timezone.now() + timedelta(minutes=3))

    assert (soon["published"], lost["published"]) == (0, 1)


def test_preferences_are_saved_per_key(reviewer):
    set_mail_preferences(reviewer, {"review_posted": False})
    set_mail_preferences(reviewer, {"review_posted": False})

    assert wants_mail(reviewer, "review_posted") is False
    assert MailPreference.objects.filter(user=reviewer).count() == 1


def test_unknown_preference_is_refused(reviewer):
    with pytest.raises(ValidationError):
        set_mail_preferences(reviewer, {"nope": False})


@pytest.mark.parametrize(
    "template",
    ["area_chair_invitation", "delegation_invitation", "emergency_invitation"],
)
def test_a_token_link_template_is_sensitive_even_when_the_caller_forgets(
    conference, author, template
):
    mail = queue_rendered(
        to=author,
        template=template,
        subject="An invitation",
        body_text="Follow https://haet.example/t/secret-token/",
        body_html="",
        dedupe_key=f"t:{template}",
    )

    assert mail is not None
    assert mail.is_sensitive

"""An anonymised account leaves nothing of who they were in the outbox: the mails to
them are erased (and those not sent yet never go out), the mails to others that
name them read "Deleted account", and the chairs' own "account anonymised" mail,
written afterwards, still tells them who it was."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from exchange.deletion import ANONYMOUS_NAME, anonymous_email, delete_account
from haet.audit.models import AuditEntry
from haet.outbox.delivery import deliver_batch, deliver_mail
from haet.outbox.erasure import CANCELLED_REASON, ERASED_TEXT, erase_from_outbox
from haet.outbox.models import OutboxMail
from haet.outbox.services import queue_rendered
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = OutboxMail.Status

NAME = "Ada Author"  # the `author` fixture
EMAIL = "author@example.org"
OTHER_EMAIL = "ada.lab@example.org"  # a second address of hers
FORMER = (NAME, EMAIL, OTHER_EMAIL)


def mail(to, key: str, *, subject: str, text: str, html: str = "", **kwargs):
    return queue_rendered(
        to=to,
        template="_test",
        subject=subject,
        body_text=text,
        body_html=html or f"<p>{text}</p>",
        dedupe_key=key,
        **kwargs,
    )


def everything_in(row: OutboxMail) -> str:
    return " ".join(
        [row.to_email, row.subject, row.body_text, row.body_html, row.last_error]
    )


@pytest.fixture
def world(conference, chair, author, outsider, mailoutbox):
    """Ada (an author, so anonymised rather than deleted) with a mail sent to her, a
    queued one, a held one to her second address; Otto's mail that names her."""
    SubmissionFactory(contact=author)
    EmailAddress.objects.create(user=author, email=OTHER_EMAIL, verified=True)
    sent = mail(author, "t:sent", subject=f"Welcome, {NAME}", text=f"Dear {NAME},")
    assert deliver_mail(sent.pk).status == "sent"
    queued = mail(author, "t:queued", subject="Reminder", text=f"Dear {NAME}, due.")
    held = mail(
        OTHER_EMAIL.upper(),  # an address typed by someone else, in capitals
        "t:held",
        subject=f"Invitation for {NAME}",
        text="Join us.",
        hold=True,
    )
    others = mail(
        outsider,
        "t:others",
        subject=f"{NAME} submitted a talk",
        text=f"Dear Otto,\n{NAME.upper()} <{EMAIL}> submitted a talk.\n"
        "The Ada Authorship prize is unrelated.\n",
        html=f"<p>{NAME} &lt;{EMAIL}&gt; submitted a talk.</p>",
    )
    mailoutbox.clear()
    return {"sent": sent, "queued": queued, "held": held, "others": others}


def anonymise(author):
    assert delete_account(author, by=author) == "anonymised"


def test_no_row_holds_her_name_or_address_but_the_chairs_notice(world, author, chair):
    anonymise(author)

    notices = OutboxMail.objects.filter(template="account_anonymised")
    assert notices.count() == 2  # the `chair` and the seeded conference's chair
    for row in OutboxMail.objects.exclude(template="account_anonymised"):
        text = everything_in(row)
        assert not [s for s in FORMER if re.search(rf"\b{re.escape(s)}\b", text, re.I)]
    # The chairs' own notice, written after the erasure, still says who it was.
    notice = notices.get(to_email=chair.email)
    assert f"{NAME} <{EMAIL}>" in notice.body_text
    assert f"{NAME} &lt;{EMAIL}&gt;" in notice.body_html


def test_mails_to_her_are_erased_and_those_not_sent_are_cancelled(world, author):
    anonymise(author)

    rows = {key: OutboxMail.objects.get(pk=m.pk) for key, m in world.items()}
    for key in ("sent", "queued", "held"):
        row = rows[key]
        assert (row.to_email, row.subject, row.body_text.strip()) == (
            anonymous_email(author),
            ERASED_TEXT,
            ERASED_TEXT,
        )
        assert ERASED_TEXT.replace("'", "&#x27;") in row.body_html
    # The record that a mail went out stays.
    assert (rows["sent"].status, rows["sent"].last_error) == (Status.SENT, "")
    assert rows["sent"].sent_at is not None
    for key in ("queued", "held"):
        assert (rows[key].status, rows[key].last_error) == (
            Status.FAILED,
            CANCELLED_REASON,
        )


def test_delivery_afterwards_sends_nothing_to_her(world, author, mailoutbox):
    anonymise(author)

    every_id = list(OutboxMail.objects.order_by("pk").values_list("pk", flat=True))
    done = deliver_batch(every_id)
    again = deliver_mail(world["queued"].pk)

    recipients = sorted(to for message in mailoutbox for to in message.to)
    # The chairs' notices and Otto's mail, which no longer names her.
    assert recipients == [
        "chair@example.org",
        "chair@haet.example",
        "outsider@example.org",
    ]
    assert done.counts["sent"] == 3
    otto = next(m for m in mailoutbox if m.to == ["outsider@example.org"])
    assert NAME not in otto.subject
    assert EMAIL not in otto.body
    assert again.status == "skipped"
    assert OutboxMail.objects.get(pk=world["queued"].pk).status == Status.FAILED


def test_others_mail_reads_deleted_account_where_it_named_her(world, author):
    anonymise(author)

    row = OutboxMail.objects.get(pk=world["others"].pk)
    assert row.to_email == "outsider@example.org"
    assert row.status == Status.QUEUED  # still goes out to Otto
    assert row.subject == f"{ANONYMOUS_NAME} submitted a talk"
    assert row.body_text == (
        f"Dear Otto,\n{ANONYMOUS_NAME} <{ANONYMOUS_NAME}> submitted a talk.\n"
        "The Ada Authorship prize is unrelated.\n"  # not a whole-word match
    )
    assert row.body_html == (
        f"<p>{ANONYMOUS_NAME} &lt;{ANONYMOUS_NAME}&gt; submitted a talk.</p>"
    )


def test_the_counts_are_in_the_audit_log(world, author):
    anonymise(author)

    entry = AuditEntry.objects.get(action="account.erased_from_outbox")
    assert (entry.object_id, entry.after) == (
        author.pk,
        {"mails_erased": 3, "mails_cancelled": 2, "mails_edited": 1},
    )


def test_erasing_twice_changes_and_counts_nothing_more(world, author):
    def erase():
        return erase_from_outbox(
            author, former=FORMER, email=anonymous_email(author), name=ANONYMOUS_NAME
        )

    first = erase()
    before = list(OutboxMail.objects.order_by("pk").values())
    second = erase()

    assert (first.erased, first.cancelled, first.edited) == (3, 2, 1)
    assert (second.erased, second.cancelled, second.edited) == (0, 0, 0)
    assert list(OutboxMail.objects.order_by("pk").values()) == before


def test_a_failed_mail_to_her_is_cancelled_and_short_names_are_ignored(
    conference, outsider
):
    bo = UserFactory(email="bo@example.org", name="Bo")  # too short to look for
    failed = mail(bo, "t:failed", subject="Hi", text="Hi")
    OutboxMail.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, last_error="SMTPRecipientsRefused: bo@example.org"
    )
    about = mail(outsider, "t:bo", subject="Bo and Bob", text="Bo wrote to Bob.")

    erased = erase_from_outbox(
        bo, former=["Bo", "bo@example.org"], email="x@deleted.invalid", name="Gone"
    )

    failed.refresh_from_db()
    assert (failed.status, failed.last_error) == (Status.FAILED, CANCELLED_REASON)
    assert (erased.erased, erased.cancelled, erased.edited) == (1, 1, 0)
    about.refresh_from_db()
    assert (about.subject, about.body_text) == ("Bo and Bob", "Bo wrote to Bob.")


@pytest.mark.parametrize("mention_count", [1, 6])
def test_erasing_costs_the_same_queries_however_many_mails(
    conference, author, outsider, mention_count
):
    for i in range(mention_count):
        mail(author, f"t:to:{i}", subject="Hi", text=f"Dear {NAME}")
        mail(outsider, f"t:about:{i}", subject=f"About {NAME}", text="Read it.")
    mail(outsider, "t:unrelated", subject="Other things", text="Nothing of her.")

    with CaptureQueriesContext(connection) as queries:
        erased = erase_from_outbox(
            author, former=FORMER, email="x@deleted.invalid", name=ANONYMOUS_NAME
        )

    assert (erased.erased, erased.cancelled, erased.edited) == (
        mention_count,
        mention_count,
        mention_count,
    )
    # Savepoint, erase, cancel, read the candidates, one bulk update, release.
    assert len(queries) == 6


@pytest.mark.parametrize(
    ("persona", "expected"), [(None, 302), ("reviewer", 404), ("outsider", 404)]
)
def test_the_outbox_list_stays_chairs_only_after_anonymising(
    client, world, author, request, persona, expected
):
    anonymise(author)
    if persona is not None:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("outbox:list"))

    assert response.status_code == expected


def test_the_chairs_outbox_no_longer_shows_her(client, world, author, chair):
    anonymise(author)
    client.force_login(chair)

    page = client.get(reverse("outbox:list")).content.decode()
    found = client.get(reverse("outbox:list"), {"q": EMAIL})
    detail = client.get(reverse("outbox:detail", args=[world["others"].pk]))

    assert EMAIL not in page
    assert OTHER_EMAIL not in page.lower()
    assert NAME not in page
    assert anonymous_email(author) in page
    assert f"{ANONYMOUS_NAME} submitted a talk" in page
    assert list(found.context["mails"]) == []
    assert EMAIL not in detail.content.decode()
    assert f"{ANONYMOUS_NAME} &lt;{ANONYMOUS_NAME}&gt;" in detail.content.decode()


def test_the_account_page_says_what_happens_to_her_mails(client, conference, author):
    SubmissionFactory(contact=author)
    client.force_login(author)

    page = client.get(reverse("exchange:my-account")).content.decode()

    assert "Mails to you are erased from the outbox" in page
    assert "those not sent yet will not be sent" in page


def test_a_cancelled_mail_to_her_cannot_be_retried(client, world, author, chair):
    anonymise(author)
    queued = OutboxMail.objects.get(pk=world["queued"].pk)
    assert queued.status == Status.FAILED
    client.force_login(chair)

    detail = client.get(reverse("outbox:detail", args=[queued.pk]))
    response = client.post(reverse("outbox:retry", args=[queued.pk]), follow=True)

    assert detail.context["can_retry"] is False
    assert escape(CANCELLED_REASON) in response.content.decode()
    queued.refresh_from_db()
    assert (queued.status, queued.last_error) == (Status.FAILED, CANCELLED_REASON)


def test_an_account_deleted_outright_is_erased_from_outbox_and_log(
    conference, outsider, author, mailoutbox
):
    """Otto authors nothing, so his account goes; the outbox row that went to him
    and the mail to Ada that names him keep nothing of him, nor does the log."""
    from haet.audit.registry import record

    record(
        "test.noted",
        object_type_="haet.user",
        object_id=outsider.pk,
        after={"email": "outsider@example.org"},
    )
    to_him = mail(outsider, "t:otto", subject="Hi Otto Outsider", text="Dear Otto")
    assert deliver_mail(to_him.pk).status == "sent"
    about = mail(author, "t:about-otto", subject="News", text="Otto Outsider joined.")

    assert delete_account(outsider, by=outsider) == "deleted"

    for row in OutboxMail.objects.all():
        text = everything_in(row)
        assert "outsider@example.org" not in text
        assert "Otto Outsider" not in text
    about.refresh_from_db()
    assert about.body_text == f"{ANONYMOUS_NAME} joined."
    noted = AuditEntry.objects.get(action="test.noted")
    assert "outsider@example.org" not in str(noted.after)
    erased = AuditEntry.objects.get(action="account.erased_from_outbox")
    assert (erased.after["mails_erased"], erased.after["mails_edited"]) == (1, 1)
    assert AuditEntry.objects.get(action="account.erased_from_log").after["values"]

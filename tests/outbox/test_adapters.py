import pytest
from django.urls import reverse

from haet.outbox.models import OutboxMail

pytestmark = pytest.mark.django_db


def test_password_reset_mail_goes_through_the_outbox(
    client, conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": author.email})
        client.post(reverse("account_reset_password"), {"email": author.email})

    mails = list(OutboxMail.objects.order_by("pk"))
    assert [(m.to_email, m.template, m.status) for m in mails] == [
        (author.email, "password_reset_key", OutboxMail.Status.SENT)
    ] * 2  # each request is its own cause
    assert mails[0].dedupe_key != mails[1].dedupe_key
    assert [m.to for m in mailoutbox] == [[author.email]] * 2
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"

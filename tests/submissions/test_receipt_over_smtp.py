"""End to end: an author submits in the browser's way (a real POST), the outbox row is
published to the real Redis, a real Celery worker delivers it to a real SMTP server.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (CI has both; it fails there without
them, and skips elsewhere with the reason).
"""

import time

import pytest
from django.urls import reverse

from haet.outbox.models import OutboxMail
from submissions.models import Submission
from tests.outbox.harness import wait_until
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_views import form_data

pytestmark = pytest.mark.services


def test_a_submission_creates_exactly_one_receipt_over_smtp(
    client,
    conference,
    author,
    upload,
    frozen,
    worker,
    smtp_sink,
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, pdf=upload("good"), action="submit"),
    )
    # A double click: the same submit again.
    client.post(reverse("submissions:submit", args=[1]))

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == Submission.State.SUBMITTED
    sha = submission.current_version.sha256
    assert wait_until(lambda: len(smtp_sink.keys()) >= 1)
    time.sleep(1.0)  # room for a duplicate to show up, if there were one
    assert smtp_sink.keys() == [f"receipt:{submission.pk}:{sha}"]
    message = smtp_sink.messages[0]
    assert message["To"] == author.email
    body = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert sha in body
    # The subject names the submission by number and title (one header line).
    subject = " ".join(message["Subject"].split())
    assert subject == (
        f"[{conference.acronym}] Receipt for submission #{submission.number}: "
        f"{submission.title}"
    )
    assert OutboxMail.objects.get(dedupe_key__startswith="receipt:").status == "sent"

"""End to end: the chair releases decisions through the release page, double-clicking
"Send all"; the outbox rows are published to the real Redis and a real Celery worker
delivers them to a real SMTP server. Exactly one decision mail per author arrives.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (CI has both; it fails there without
them, and skips elsewhere with the reason).
"""

import time

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from haet.outbox import services as outbox
from haet.outbox.models import OutboxMail
from tests.factories import SubmissionFactory, UserFactory
from tests.jobs.helpers import job_of
from tests.outbox.harness import wait_until

pytestmark = pytest.mark.services


@pytest.fixture(autouse=True)
def _eager_celery():
    """Replaces tests/decisions/conftest.py's: here a real worker delivers."""
    outbox._broker_down_until = 0.0  # each test starts believing the broker is up


def finished(job) -> bool:
    job.refresh_from_db()
    return job.is_finished


def plain_text(message) -> str:
    return next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def test_double_release_sends_one_decision_mail_per_author_over_smtp(
    client, conference, author, chair, worker, smtp_sink
):
    accepted = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        authors=[("Bea Coauthor", "bea@uni-b.example", "Uni B")],
        title="Sparse training on FPGAs",
    )
    other = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    rejected = SubmissionFactory(
        conference=conference,
        number=2,
        contact=other,
        authors=[("Carl Coauthor", "carl@uni-c.example", "Uni C")],
        title="Energy models of GPUs",
    )
    decide(accepted, Outcome.ACCEPT_POSTER, by=chair)
    decide(rejected, Outcome.REJECT, by=chair)
    client.force_login(chair)

    preview = client.get(reverse("decisions:release"))
    tokens = preview.context["tokens"]
    # A double click on "Send all": the same POST twice.
    # Each click starts a release job (issue 14, item 10) that the worker runs.
    first = job_of(
        client.post(reverse("decisions:release"), {"token": tokens, "confirm": "4"})
    )
    second = job_of(
        client.post(reverse("decisions:release"), {"token": tokens, "confirm": "4"})
    )
    assert wait_until(lambda: all(finished(job) for job in (first, second)))
    # And a second round: preview again (nothing left), send again.
    again = client.get(reverse("decisions:release"))
    client.post(
        reverse("decisions:release"), {"token": again.context["tokens"], "confirm": "1"}
    )

    assert len(preview.context["mails"]) == 4
    # One of the two jobs released (the worker may run either first).
    assert [(job.status, job.error) for job in (first, second)] == [("done", "")] * 2
    assert sorted(job.result["summary"][0][:20] for job in (first, second)) == [
        "Nothing to release: ",
        "Released 2 decisions",
    ]
    assert again.context["mails"] == []
    assert wait_until(lambda: len(smtp_sink.keys()) >= 4)
    time.sleep(1.0)  # room for a duplicate to show up, if there were one
    expected = {
        f"decision:{accepted.pk}:author@example.org:1": ("author@example.org", 1),
        f"decision:{accepted.pk}:bea@uni-b.example:1": ("bea@uni-b.example", 1),
        f"decision:{rejected.pk}:olga@elsewhere.example:1": (
            "olga@elsewhere.example",
            2,
        ),
        f"decision:{rejected.pk}:carl@uni-c.example:1": ("carl@uni-c.example", 2),
    }
    assert sorted(smtp_sink.keys()) == sorted(expected)
    for message in smtp_sink.messages:
        key = "".join(message["X-Haet-Outbox-Key"].split())
        to, number = expected[key]
        body = plain_text(message)
        assert message["To"] == to
        if number == 1:
            assert message["Subject"] == "[HAET 2022] #1 accepted as a poster"
            assert "has been accepted to HAET 2022 as a poster" in body
        else:
            assert message["Subject"] == "[HAET 2022] Decision on #2"
            assert "was not accepted to HAET 2022" in body
    assert (
        sorted(
            OutboxMail.objects.filter(dedupe_key__startswith="decision:").values_list(
                "template", "status"
            )
        )
        == [("decision_notification", "sent")] * 4
    )
    assert Decision.objects.filter(release_generation=1).count() == 2

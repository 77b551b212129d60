"""The job page (issue 14, item 10): who may follow a job, what it shows while
queued or running (a progress bar its script follows, a refresh link without one),
done (the summary and a link back) and failed (the error, "Try again" where safe);
and what it costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.jobs.models import Job
from tests.decisions.conftest import PERSONAS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def job_by(user, **fields):
    fields.setdefault("kind", "decisions.release")
    fields.setdefault("for_chairs", True)
    return Job.objects.create(created_by=user, **fields)


def page_url(job) -> str:
    return reverse("jobs:detail", args=[job.pk])


# Who follows a chair's job: its starter, and chairs without a conflict of interest
# (another chair's summary counts submissions a conflicted chair may not see).
SEES = {"chair", "other_chair"}


@pytest.mark.parametrize("persona", [*PERSONAS, "other_chair"])
def test_who_may_follow_a_chairs_job(world, login, persona):
    world.other_chair = UserFactory(email="co@chairs.example", role="chair")
    job = job_by(world.chair, status=Job.Status.DONE, result={"summary": ["Hi."]})
    client = login(world.user(persona))

    response = client.get(page_url(job))
    missing = client.get(reverse("jobs:detail", args=[job.pk + 1000]))
    retry = client.post(page_url(job))

    if persona == "anonymous":
        for answer in (response, missing, retry):
            assert answer.status_code == 302
            assert reverse("account_login") in answer["Location"]
    elif persona in SEES:
        assert response.status_code == 200
        assert "Hi." in response.text
        assert missing.status_code == 404
    else:
        assert (response.status_code, missing.status_code) == (404, 404)
        assert retry.status_code == 404
    assert Job.objects.count() == 1  # nobody could run a finished job again


def test_a_conflicted_chair_follows_their_own_jobs(world, login):
    own = job_by(world.conflicted_chair, status=Job.Status.DONE)

    response = login(world.conflicted_chair).get(page_url(own))

    assert response.status_code == 200


def test_a_job_of_ones_own_is_private_unless_for_chairs(world, login):
    job = job_by(world.author, for_chairs=False)

    assert login(world.chair).get(page_url(job)).status_code == 404
    assert login(world.author).get(page_url(job)).status_code == 200


def test_a_running_job_shows_its_progress_and_is_followed(world, login):
    job = job_by(
        world.chair, status=Job.Status.RUNNING, progress=40, message="40 of 100"
    )

    page = login(world.chair).get(page_url(job)).text

    assert '<progress max="100" value="40">' in page
    assert "40 of 100" in page
    # Followed by static/haet/job.js, never a timed reload (WCAG 2.2.1).
    assert "haet/job.js" in page
    assert '<meta http-equiv="refresh"' not in page
    assert f'<a href="{page_url(job)}">refresh it</a>' in page
    assert "Releasing decisions: Running" in page


def test_a_queued_job_waits_for_a_worker(world, login):
    page = login(world.chair).get(page_url(job_by(world.chair))).text

    assert "Waiting for a worker" in page
    assert "haet/job.js" in page


def test_a_finished_job_shows_its_summary_and_a_link_back(world, login):
    job = job_by(
        world.chair,
        status=Job.Status.DONE,
        result={
            "summary": ["Released 2 decisions; 4 mails are on their way."],
            "link": {"url": "/decisions/", "label": "Back to decisions"},
        },
    )

    page = login(world.chair).get(page_url(job)).text

    assert "Released 2 decisions; 4 mails are on their way." in page
    assert '<a href="/decisions/">Back to decisions</a>' in page
    assert "refresh" not in page
    assert "<progress" not in page


def test_a_failed_job_shows_the_error_and_offers_a_retry_when_safe(
    world, login, committed
):
    safe = job_by(
        world.chair, status=Job.Status.FAILED, error="Worker gone.", can_retry=True
    )
    unsafe = job_by(world.chair, status=Job.Status.FAILED, error="Changed.")
    client = login(world.chair)

    safe_page = client.get(page_url(safe)).text
    unsafe_page = client.get(page_url(unsafe)).text
    refused = client.post(page_url(unsafe), follow=True)
    retried = committed(client.post, page_url(safe))

    assert "Worker gone." in safe_page
    assert "Try again" in safe_page
    assert "Changed." in unsafe_page
    assert "Try again" not in unsafe_page
    assert "This job cannot be run again." in refused.text
    again = Job.objects.exclude(pk__in=[safe.pk, unsafe.pk]).get()
    assert retried["Location"] == page_url(again)
    assert (again.kind, again.created_by) == ("decisions.release", world.chair)
    # Its tokens were none: it ran at once (eager) and released nothing.
    again.refresh_from_db()
    assert again.result["summary"] == ["Nothing to release: no mail was sent."]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_job_page_costs_a_few_queries_whatever_its_state(world, login):
    client = login(world.chair)
    jobs = [
        job_by(world.chair),
        job_by(world.chair, status=Job.Status.RUNNING, progress=10),
        job_by(
            world.chair,
            status=Job.Status.DONE,
            result={"summary": [f"line {n}" for n in range(200)]},
        ),
        job_by(world.chair, status=Job.Status.FAILED, error="x", can_retry=True),
    ]
    queries(client, page_url(jobs[0]))  # warm the per-process caches

    counts = [queries(client, page_url(job)) for job in jobs]

    assert len(set(counts)) == 1, counts
    assert counts[0] <= 12, counts

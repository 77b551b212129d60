"""Deploying a proposal and releasing decisions as background jobs (issue 14,
item 10): the confirmation steps, exactly-once and the changed-preview refusal are
those of the services they run."""

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from haet.jobs.models import Job
from haet.jobs.services import run_job
from haet.outbox.models import OutboxMail
from reviews.assignment_runs import compute_run
from reviews.jobs import start_deploy
from reviews.models import Assignment, AssignmentRun
from tests.jobs.helpers import job_of, summary_of
from tests.reviews.test_assignment import pool  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(pool, chair):  # noqa: F811
    run = AssignmentRun.objects.create(created_by=chair)
    compute_run(run.pk)
    run.refresh_from_db()
    return run


def deploy(client, run):
    return client.post(
        reverse("reviews:run", args=[run.pk]), {"action": "deploy", "confirm": "12"}
    )


def test_two_deploy_jobs_of_one_proposal_deploy_it_once(
    proposed, chair, committed, mailoutbox
):
    def both():
        return start_deploy(proposed, by=chair), start_deploy(proposed, by=chair)

    first, second = committed(both)  # both queued before either runs

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Job.Status.DONE
    assert first.result["summary"][0].startswith("Deployed: 12 new assignments")
    assert second.status == Job.Status.FAILED
    assert second.error == "Only a finished, undeployed proposal can be deployed."
    assert Assignment.objects.count() == 12
    reviewers = set(Assignment.objects.values_list("reviewer__email", flat=True))
    assert sorted(m.to[0] for m in mailoutbox) == sorted(reviewers)  # one mail each


def test_deploying_needs_the_confirmation_and_a_finished_proposal(
    proposed, chair, login, committed
):
    client = login(chair)

    unconfirmed = client.post(
        reverse("reviews:run", args=[proposed.pk]), {"action": "deploy"}
    )
    done = committed(deploy, client, proposed)
    again = committed(deploy, client, proposed)

    assert unconfirmed["Location"] == reverse("reviews:run", args=[proposed.pk])
    assert summary_of(done)[0].startswith("Deployed: 12 new assignments")
    # The proposal is deployed: no second job, the run page says why.
    assert again["Location"] == reverse("reviews:run", args=[proposed.pk])
    assert Job.objects.count() == 1


def test_a_deploy_job_whose_chair_stepped_down_fails(proposed, chair, committed):
    job = committed(start_deploy, proposed, by=chair)
    job.status = Job.Status.QUEUED  # run it again, as if it had not started
    job.save()
    chair.groups.clear()
    AssignmentRun.objects.filter(pk=proposed.pk).update(status="done")
    run_job(job.pk)
    job.refresh_from_db()

    assert job.status == Job.Status.FAILED
    assert job.error == "The person who started this job is no longer a chair."


def preview_tokens(client):
    return client.get(reverse("decisions:release")).context["tokens"]


def release(client, tokens, confirm="3"):
    return client.post(
        reverse("decisions:release"), {"token": tokens, "confirm": confirm}
    )


def test_a_release_changed_since_the_preview_fails_and_sends_nothing(
    world, chair, login, committed, mailoutbox
):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    client = login(chair)
    tokens = preview_tokens(client)
    decide(world.other_submission, Outcome.ACCEPT_POSTER, by=chair)  # meanwhile

    response = committed(release, client, tokens, "4")
    job = job_of(response)
    page = client.get(response["Location"])

    assert job.status == Job.Status.FAILED
    assert job.error == (
        "Decisions changed since your preview (#2). Nothing was sent: preview again."
    )
    assert not job.can_retry
    assert "Try again" not in page.text
    assert job.error in page.text
    assert reverse("decisions:release") in page.text  # back to the preview
    assert Decision.objects.released().count() == 0
    assert mailoutbox == []
    assert not OutboxMail.objects.exists()


def test_two_release_jobs_send_once(world, chair, login, committed, mailoutbox):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    client = login(chair)
    tokens = preview_tokens(client)

    def double_click():
        return release(client, tokens), release(client, tokens)

    first, second = committed(double_click)

    assert summary_of(first) == [
        "Released 1 decision; 3 mails are on their way (see the outbox)."
    ]
    assert summary_of(second) == ["Nothing to release: no mail was sent."]
    assert len(mailoutbox) == 3

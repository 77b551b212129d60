"""The chairs' bulk actions that take seconds on a thousand submissions run as
background jobs (issue 14, item 10; bench/chair_actions.py): a confirmed bulk
decision, its undo, a pasted list of reviewer invitations and the camera-ready
reminder. Each job's page says what the view used to flash; each fails clearly."""

import uuid

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.jobs import BULK_DECIDE, start_bulk_decision, start_bulk_undo
from decisions.models import Decision, DecisionLog, Outcome
from decisions.release import preview_release, release_decisions
from haet.jobs.models import Job
from haet.jobs.services import job_kind, run_job
from proceedings.jobs import start_camera_ready_reminder
from reviews.jobs import start_invite
from reviews.models import Invitation
from tests.jobs.helpers import job_of, summary_of

pytestmark = pytest.mark.django_db


def rerun(job: Job) -> Job:
    """Run a job again, as if its task were redelivered before it started."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    run_job(job.pk)
    job.refresh_from_db()
    return job


def test_a_bulk_decision_job_reports_progress_and_what_changed(world, chair, committed):
    decide(world.submission, Outcome.REJECT, by=chair)
    submissions = [world.submission, world.other_submission]

    job = committed(
        start_bulk_decision,
        submissions,
        Outcome.REJECT,
        reason="",
        confirm_correction=False,
        querystring="",
        by=chair,
    )
    job.refresh_from_db()

    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    assert job.result["summary"] == [
        "Reject: #2. 1 decision changed. You can undo this until the release."
    ]
    assert not job_kind(BULK_DECIDE).retry_safe  # confirm again instead


def test_a_bulk_decision_on_a_newly_conflicted_submission_changes_nothing(
    world, chair, committed
):
    job = committed(
        start_bulk_decision,
        [world.submission, world.other_submission],
        Outcome.REJECT,
        reason="",
        confirm_correction=False,
        querystring="",
        by=world.conflicted_chair,  # #1 is hidden from them since
    )
    job.refresh_from_db()

    assert job.status == Job.Status.FAILED
    assert job.error.startswith("A submission you chose is now one you may not")
    assert not Decision.objects.exists()


def test_an_undo_job_run_twice_restores_once(world, chair, login, committed):
    decide(world.submission, Outcome.DESK_REJECT, reason="Out of scope.", by=chair)
    committed(
        start_bulk_decision,
        [world.submission],
        Outcome.ACCEPT_ORAL,
        reason="",
        confirm_correction=False,
        querystring="",
        by=chair,
    )
    bulk_id = DecisionLog.objects.exclude(bulk_id=None).get().bulk_id

    job = committed(start_bulk_undo, bulk_id, querystring="", by=chair)
    job.refresh_from_db()
    first = job.result["summary"]
    again = rerun(job)

    assert first == ["Undone: #1 are back to their previous decision."]
    assert again.result["summary"] == [
        "Kept as they are (changed, released or withdrawn since): #1."
    ]
    decision = Decision.objects.get()
    assert (decision.outcome, decision.reason) == ("desk_reject", "Out of scope.")


def test_an_undo_job_of_an_unknown_bulk_decision_fails_saying_so(chair, committed):
    job = committed(start_bulk_undo, uuid.uuid4(), querystring="", by=chair)
    job.refresh_from_db()

    assert (job.status, job.error) == (
        Job.Status.FAILED,
        "There is no such bulk decision of yours to undo.",
    )
    assert not job.can_retry


def test_an_invitation_job_run_twice_mails_each_person_once(
    world, chair, committed, mailoutbox
):
    pasted = "\n".join(f"Person {i} <p{i}@lab.example.org>" for i in range(60))

    job = committed(start_invite, email="", name="", pasted=pasted, by=chair)
    job.refresh_from_db()
    first = job.result["summary"]
    again = committed(rerun, job)

    assert first == ["Invited 60."]
    assert again.result["summary"][0].startswith("Already invited: p0@lab.example")
    assert Invitation.objects.count() == 60
    assert len(mailoutbox) == 60


def test_an_invitation_job_of_unreadable_lines_says_so(world, chair, login):
    client = login(chair)

    with pytest.raises(AssertionError):  # nothing to start: the form refuses first
        job_of(client.post(reverse("reviews:invitations"), {"pasted": "   "}))
    response = client.post(reverse("reviews:invitations"), {"pasted": "no address"})

    assert job_of(response).status == Job.Status.QUEUED  # runs after the commit
    run_job(job_of(response).pk)
    assert summary_of(response) == ["No address found in: no address"]
    assert not Invitation.objects.exists()


def test_a_reminder_job_started_by_a_former_chair_fails(
    world, chair, committed, frozen
):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    frozen("2022-06-20T12:00:00Z")
    job = committed(start_camera_ready_reminder, by=chair)
    job.refresh_from_db()
    first = job.result["summary"]
    chair.groups.clear()

    again = rerun(job)

    assert first == ["3 reminder mails queued."]
    assert (again.status, again.error) == (
        Job.Status.FAILED,
        "The person who started this job is no longer a chair.",
    )

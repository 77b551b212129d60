"""Issue 14, item 10: background jobs run exactly once, fail with a clear message
(rolling their work back), and the sweep ends jobs whose worker is gone."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections

from haet import clock
from haet.jobs import services
from haet.jobs.models import Job
from haet.jobs.services import (
    JOB_TIME_LIMIT,
    QUEUE_TIME_LIMIT,
    SWEEP_GRACE,
    fail_stalled_jobs,
    retry_job,
    run_job,
    start_job,
)
from haet.jobs.tasks import run_job_task

pytestmark = pytest.mark.django_db


def test_a_job_runs_once_and_records_its_summary(kind, chair, committed):
    calls = []

    def work(job, progress):
        calls.append(job.pk)
        progress(50, "Half way")
        return {"summary": [f"Did {job.params['n']} things."]}

    k = kind(work)
    job = committed(start_job, k.name, by=chair, params={"n": 3})

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.progress, job.message) == (100, "Done")
    assert job.result == {"summary": ["Did 3 things."]}
    assert job.started_at
    assert job.finished_at
    # A redelivered task (acks_late) does nothing the second time.
    assert run_job(job.pk) is None
    assert run_job_task.apply(args=(job.pk,)).get() is None
    assert calls == [job.pk]


def test_a_refusal_fails_the_job_with_its_message_and_keeps_nothing(kind, chair):
    def work(job, progress):
        Job.objects.create(kind="half-done work")
        raise ValidationError("Decisions changed since your preview.")

    job = Job.objects.create(kind=kind(work, retry_safe=True).name, created_by=chair)

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Decisions changed since your preview."
    assert job.can_retry is False  # running it again cannot help
    assert not Job.objects.filter(kind="half-done work").exists()


@pytest.mark.parametrize("retry_safe", [True, False])
def test_a_crash_fails_the_job_and_offers_a_retry_only_when_safe(
    kind, chair, retry_safe
):
    def work(job, progress):
        Job.objects.create(kind="half-done work")
        raise RuntimeError("the database went away")

    job = Job.objects.create(
        kind=kind(work, retry_safe=retry_safe).name, created_by=chair
    )

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "RuntimeError: the database went away"
    assert job.can_retry is retry_safe
    assert not Job.objects.filter(kind="half-done work").exists()


def test_an_unknown_kind_fails_instead_of_waiting_forever(chair):
    job = Job.objects.create(kind="gone.away", created_by=chair)

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "no job kind 'gone.away'" in job.error


def other_connection(sql, params):
    """Run SQL as another process would (the sweep, the job page), committed."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else None
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_job_the_sweep_failed_meanwhile_stays_failed_and_keeps_nothing(kind, chair):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: no sweep can write meanwhile")

    def work(job, progress):
        Job.objects.create(kind="late work")
        # The beat's sweep, in its own process, gave up on the job meanwhile.
        other_connection(
            "UPDATE jobs_job SET status = 'failed', error = 'worker was stopped' "
            "WHERE id = %s",
            [job.pk],
        )
        return {"summary": ["Too late."]}

    job = Job.objects.create(kind=kind(work).name, created_by=chair)

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "worker was stopped" in job.error
    assert not Job.objects.filter(kind="late work").exists()


def test_the_sweep_fails_stalled_jobs_only(chair, frozen):
    frozen("2022-06-10T12:00:00Z")
    now = clock.now()
    running_old = Job.objects.create(
        kind="k",
        status=Job.Status.RUNNING,
        started_at=now - timedelta(seconds=JOB_TIME_LIMIT + SWEEP_GRACE + 1),
    )
    running_new = Job.objects.create(
        kind="k", status=Job.Status.RUNNING, started_at=now - timedelta(minutes=1)
    )
    queued_old = Job.objects.create(
        kind="k",
        created_at=now - timedelta(seconds=QUEUE_TIME_LIMIT + SWEEP_GRACE + 1),
    )
    queued_new = Job.objects.create(kind="k", created_at=now)
    done_old = Job.objects.create(
        kind="k",
        status=Job.Status.DONE,
        started_at=now - timedelta(days=1),
        created_at=now - timedelta(days=1),
    )

    failed = fail_stalled_jobs()
    again = fail_stalled_jobs()

    assert sorted(failed) == sorted([running_old.pk, queued_old.pk])
    assert again == []  # idempotent
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        running_old.pk: "failed",
        running_new.pk: "running",
        queued_old.pk: "failed",
        queued_new.pk: "queued",
        done_old.pk: "done",
    }
    running_old.refresh_from_db()
    assert running_old.can_retry
    assert "Nothing of it was saved" in running_old.error
    queued_old.refresh_from_db()
    assert "is the Celery worker running?" in queued_old.error


def test_a_lost_broker_fails_the_job_at_once(kind, chair, committed, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(run_job_task, "apply_async", down)

    job = committed(start_job, kind(lambda job, p: {}).name, by=chair)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "could not be reached" in job.error
    assert job.can_retry


def test_only_permitted_people_start_or_retry_a_job(kind, chair, author):
    k = kind(lambda job, p: {}, permission="haet.manage_conference")
    failed = Job.objects.create(
        kind=k.name, created_by=chair, status=Job.Status.FAILED, can_retry=True
    )
    refused = Job.objects.create(kind=k.name, created_by=chair, status="failed")

    with pytest.raises(PermissionDenied):
        start_job(k.name, by=author)
    with pytest.raises(PermissionDenied):
        retry_job(failed, by=author)
    with pytest.raises(ValidationError):
        retry_job(refused, by=chair)  # not safe to run again
    again = retry_job(failed, by=chair)

    assert (again.kind, again.status, again.created_by) == (k.name, "queued", chair)
    assert Job.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_progress_shows_while_the_work_is_still_uncommitted(kind, chair):
    """The work runs in one transaction; on PostgreSQL its progress is visible to
    the page (another connection) before that transaction commits (on SQLite, as
    _ProgressWriter says, it is not recorded)."""
    seen = []

    def work(job, progress):
        progress(40, "40 of 100 decisions")
        seen.append(
            other_connection(
                "SELECT progress, message FROM jobs_job WHERE id = %s", [job.pk]
            )
        )
        return {"summary": []}

    job = Job.objects.create(kind=kind(work).name, created_by=chair)
    run_job(job.pk)

    if connection.vendor == "postgresql":
        assert seen == [(40, "40 of 100 decisions")]
    else:  # one writer at a time: progress inside the work is not recorded
        assert seen == [(0, "")]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_kinds_are_registered_by_the_later_apps():
    assert {"reviews.deploy", "decisions.release"} <= set(services._KINDS)

"""Thin Celery tasks over haet.jobs.services; each is safe to run twice."""

from celery import shared_task

from haet.jobs.services import (
    JOB_SOFT_TIME_LIMIT,
    JOB_TIME_LIMIT,
    fail_stalled_jobs,
    run_job,
)


@shared_task(
    name="haet.jobs.tasks.run_job",
    soft_time_limit=JOB_SOFT_TIME_LIMIT,
    time_limit=JOB_TIME_LIMIT,
    ignore_result=True,
)
def run_job_task(job_id: int) -> str | None:
    """Run a queued job; a second run of the same id does nothing."""
    job = run_job(job_id)
    return job.status if job else None


@shared_task(ignore_result=True)
def sweep_stalled_jobs() -> int:
    """Fail the jobs whose worker died (beat, every minute); idempotent."""
    return len(fail_stalled_jobs())

"""Background jobs: the registry of kinds, starting one, running it exactly once,
its progress, and the sweep that fails jobs whose worker is gone.

A later app registers a kind in its AppConfig.ready():

    register_job_kind("reviews.deploy", run=deploy, title="Deploying a proposal",
                      permission="haet.manage_conference", back=run_page)

`run(job, progress)` does the work and returns the summary the job page shows,
{"summary": [lines], "link": {"url": ..., "label": ...}}; it raises
ValidationError for a failure the person must act on (the job fails with its
message, no "Try again"). Any other exception fails the job with its type and
message, and offers "Try again" when the kind says that is safe.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q

from haet import audit, clock
from haet.jobs.models import Job
from haet.models import User

logger = logging.getLogger(__name__)

# The Celery limits of haet.jobs.tasks.run_job. Past the soft one the work is
# interrupted and rolled back, and the job fails with that reason; past the hard one
# the worker is killed and writes nothing: `fail_stalled_jobs` ends those jobs.
JOB_SOFT_TIME_LIMIT = 10 * 60
JOB_TIME_LIMIT = 15 * 60
# A queued job no worker started after this long (no worker, a lost message) fails.
QUEUE_TIME_LIMIT = 15 * 60
SWEEP_GRACE = 60  # clocks and the sweep's own period

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[Job, Progress], dict]
    title: str
    # What starting (and trying again) requires, e.g. "haet.manage_conference".
    permission: str = ""
    # Followed by every unconflicted chair, not only its starter.
    for_chairs: bool = True
    # Running a failed job again is safe (its work is idempotent).
    retry_safe: bool = False
    # (url, label) of the page the job was started from.
    back: Callable[[Job], tuple[str, str]] | None = None


_KINDS: dict[str, JobKind] = {}


def register_job_kind(name: str, **options: Any) -> JobKind:
    """Register (or replace: tests do) what a job of `name` runs."""
    kind = JobKind(name=name, **options)
    _KINDS[name] = kind
    return kind


def job_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


@transaction.atomic
def start_job(kind_name: str, *, by: User, params: dict | None = None) -> Job:
    """Queue a job. Side effects: a Job row; its task is published after commit
    (run at once under the embedded default, eager Celery); if the task cannot be
    published (Redis down) the job fails with that reason instead of a 500."""
    kind = _KINDS.get(kind_name)
    if kind is None:
        raise ValueError(f"No job kind {kind_name!r} is registered.")
    if kind.permission and not by.has_perm(kind.permission):
        raise PermissionDenied
    job = Job.objects.create(
        kind=kind_name,
        params=params or {},
        created_by=by,
        for_chairs=kind.for_chairs,
        created_at=clock.now(),
    )
    transaction.on_commit(partial(_publish, job.pk))
    return job


def _publish(job_id: int) -> None:
    from haet.jobs.tasks import run_job_task

    try:
        run_job_task.apply_async(args=(job_id,), retry=False)
    except Exception:
        logger.exception("job %s: could not publish the task", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            error="The task queue (Redis) could not be reached, so the job did not "
            "start. Nothing was changed: try again in a few minutes.",
            can_retry=True,
            finished_at=clock.now(),
        )


class _Superseded(Exception):
    """The sweep failed the job while it ran: its work is rolled back."""


def run_job(job_id: int) -> Job | None:
    """Run a queued job. Idempotent: only the call that moves it QUEUED -> RUNNING
    works, a second one (a redelivered task) does nothing. The work and the move to
    DONE commit together: a job the sweep failed meanwhile stays failed and its work
    is rolled back. Side effects: the job's status, progress, result or error, and
    whatever its kind does."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=clock.now(), progress=0
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    kind = _KINDS.get(job.kind)
    running = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING)
    progress = _ProgressWriter(job_id)
    try:
        if kind is None:
            raise LookupError(f"no job kind {job.kind!r} is registered")
        # The job's writes are logged as its starter's, under the job's id.
        with (
            audit.acting(job.created_by, request_id=f"job-{job_id}"),
            transaction.atomic(),
        ):
            result = kind.run(job, progress)
            if not running.update(
                status=Job.Status.DONE,
                result=result,
                progress=100,
                message="Done",
                finished_at=clock.now(),
            ):
                raise _Superseded
    except _Superseded:
        logger.warning("job %s was failed by the sweep while running", job_id)
    except ValidationError as exc:
        running.update(
            status=Job.Status.FAILED,
            error=" ".join(exc.messages)[:2000],
            finished_at=clock.now(),
        )
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        running.update(
            status=Job.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            can_retry=bool(kind and kind.retry_safe),
            finished_at=clock.now(),
        )
    finally:
        progress.close()
    return Job.objects.get(pk=job_id)


class _ProgressWriter:
    """Records how far a running job is: called as `progress(percent, message)`.
    The work runs in one transaction, so on PostgreSQL progress is written on a
    connection of its own (opened once per run, closed by `run_job`), committed at
    once, for the page to show while the job runs. SQLite (the embedded default)
    allows one writer at a time: there, progress inside that transaction is not
    recorded."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.side: Any = None

    def __call__(self, percent: int, message: str) -> None:
        percent = max(0, min(int(percent), 99))
        message = message[:200]
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                progress=percent, message=message
            )
            return
        if connection.vendor != "postgresql":
            return
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.side.cursor() as cursor:
            cursor.execute(  # the table name is the model's, the values parameters
                f"UPDATE {Job._meta.db_table} SET progress = %s, message = %s "  # noqa: S608
                "WHERE id = %s AND status = %s",
                [percent, message, self.job_id, Job.Status.RUNNING],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def fail_stalled_jobs(*, at: datetime | None = None) -> list[int]:
    """Fail every job whose worker is gone: RUNNING past the hard time limit, or
    QUEUED with no worker after QUEUE_TIME_LIMIT (beat, every minute). Each job
    is moved by one conditional UPDATE, so a finished job is never touched.
    Returns the ids this call failed. Side effects: their status and error."""
    at = at or clock.now()
    stalled = [
        (
            Q(
                status=Job.Status.RUNNING,
                started_at__lte=at - timedelta(seconds=JOB_TIME_LIMIT + SWEEP_GRACE),
            ),
            f"The job stopped without finishing: its worker was stopped or it ran "
            f"past its {JOB_TIME_LIMIT // 60} minutes. Nothing of it was saved.",
        ),
        (
            Q(
                status=Job.Status.QUEUED,
                created_at__lte=at - timedelta(seconds=QUEUE_TIME_LIMIT + SWEEP_GRACE),
            ),
            f"No worker started the job within {QUEUE_TIME_LIMIT // 60} minutes "
            "(is the Celery worker running?). Nothing was changed.",
        ),
    ]
    failed = []
    for condition, error in stalled:
        for pk in Job.objects.filter(condition).values_list("pk", flat=True):
            if Job.objects.filter(condition, pk=pk).update(
                status=Job.Status.FAILED, error=error, can_retry=True, finished_at=at
            ):
                logger.warning("job %s failed: %s", pk, error)
                failed.append(pk)
    return failed


def retry_job(job: Job, *, by: User) -> Job:
    """A new job with the kind and parameters of a failed one ("Try again").
    Side effects: those of `start_job`."""
    kind = _KINDS.get(job.kind)
    if job.status != Job.Status.FAILED or not job.can_retry or kind is None:
        raise ValidationError("This job cannot be run again.")
    if kind.permission and not by.has_perm(kind.permission):
        raise PermissionDenied
    return start_job(job.kind, by=by, params=job.params)

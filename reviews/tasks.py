"""Thin Celery tasks: each takes an id and calls a service (idempotent)."""

import logging

from celery import shared_task

from reviews.assignment_runs import (
    RUN_SOFT_TIME_LIMIT,
    RUN_TIME_LIMIT,
    compute_run,
    fail_queued_run,
    fail_stalled_runs,
)

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=RUN_SOFT_TIME_LIMIT, time_limit=RUN_TIME_LIMIT)
def run_assignment(run_id: int) -> str | None:
    """Compute a proposed assignment; a second run of the same id does nothing."""
    run = compute_run(run_id)
    return run.status if run else None


@shared_task(ignore_result=True)
def sweep_stalled_runs() -> int:
    """Fail the runs whose worker died (beat, every minute); idempotent."""
    return len(fail_stalled_runs())


def start_run(run_id: int) -> None:
    """Publish the computation of a proposal; never raises into the web request.
    With Redis down the publish gives up at once (no retry) and the run fails with
    a reason the chair reads on its page, instead of a 500 and a run queued
    forever; proposing again once Redis is back works."""
    try:
        run_assignment.apply_async(args=(run_id,), retry=False)
    except Exception:
        logger.exception("assignment run %s: could not publish the task", run_id)
        fail_queued_run(
            run_id,
            error="The task queue (Redis) could not be reached, so the computation "
            "did not start. Propose again in a few minutes.",
        )

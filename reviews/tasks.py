"""Thin Celery tasks: each takes an id and calls a service (idempotent)."""

from celery import shared_task

from reviews.services import compute_run


@shared_task(soft_time_limit=600, time_limit=900)
def run_assignment(run_id: int) -> str | None:
    """Compute a proposed assignment; a second run of the same id does nothing."""
    run = compute_run(run_id)
    return run.status if run else None

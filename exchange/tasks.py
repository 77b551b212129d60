"""Exchange's periodic tasks: thin wrappers over services, each safe to run twice."""

from celery import shared_task

from exchange.imports import staging


@shared_task(ignore_result=True)
def sweep_staged_uploads() -> int:
    """Remove abandoned import uploads (hourly, by beat)."""
    return len(staging.sweep_staged())

"""Decisions tasks: thin wrappers over services, each safe to run twice."""

from celery import shared_task

from decisions import scheduling


@shared_task(ignore_result=True)
def release_due_decisions() -> int:
    """The beat, every minute: release what chairs scheduled for now or earlier."""
    return len(scheduling.release_due())

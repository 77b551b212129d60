"""Submission tasks: thin wrappers over services, each safe to run twice."""

from celery import shared_task

from submissions import orphans


@shared_task(ignore_result=True)
def sweep_orphan_files() -> int:
    """Remove stored files no row references, older than a day (daily, by beat)."""
    return len(orphans.sweep_orphan_files())

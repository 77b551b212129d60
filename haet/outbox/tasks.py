"""Outbox tasks: thin wrappers over services, each safe to run twice."""

from celery import shared_task

from haet.outbox import reminders, services


@shared_task(bind=True, max_retries=None, ignore_result=True)
def deliver(self, mail_id: int) -> str:
    """Deliver one outbox row. The row, not Celery, counts attempts (MAX_ATTEMPTS),
    so a sweep re-publishing it cannot grant it a fresh set of retries."""
    outcome = services.deliver_mail(mail_id)
    if outcome.retry_in is not None:
        # If the broker is down now, this retry is lost, and that is fine: the row is
        # queued with a next_attempt_at, and the sweep publishes it then.
        raise self.retry(countdown=outcome.retry_in.total_seconds())
    return outcome.status


@shared_task(ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    return services.sweep_outbox()


@shared_task(ignore_result=True)
def send_due_reminders() -> int:
    return reminders.send_due_reminders()

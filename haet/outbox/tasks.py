"""Outbox tasks: thin wrappers over services, each safe to run twice."""

from celery import Task, shared_task

from haet.outbox import delivery, reminders, services, sweep


@shared_task(ignore_result=True)
def deliver_batch(mail_ids: list[int]) -> dict[str, int]:
    """Deliver a batch of outbox rows over one SMTP connection (what `publish` sends).

    Each row is claimed on its own, so a batch run twice (acks_late redelivers it if
    its worker is lost) sends nothing twice. The rows, not Celery, count attempts:
    what failed for now, or what the batch did not get to, is published again as new
    batches after its delay; if the broker is down then, those rows are queued with a
    next_attempt_at, and the sweep publishes them.
    """
    done = delivery.deliver_batch(mail_ids)
    for delay, later_ids in sorted(done.later.items()):
        services.publish(later_ids, countdown=delay.total_seconds())
    return dict(done.counts)


@shared_task(bind=True, max_retries=None, ignore_result=True)
def deliver(self: Task, mail_id: int) -> str:
    """Deliver one outbox row (tasks published before batches existed still run).
    The row, not Celery, counts attempts (MAX_ATTEMPTS), so a sweep re-publishing it
    cannot grant it a fresh set of retries."""
    result = delivery.deliver_mail(mail_id)
    if result.retry_in is not None:
        # If the broker is down now, this retry is lost, and that is fine: the row is
        # queued with a next_attempt_at, and the sweep publishes it then.
        raise self.retry(countdown=result.retry_in.total_seconds())
    return result.status


@shared_task(ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    return sweep.sweep_outbox()


@shared_task(ignore_result=True)
def send_due_reminders() -> int:
    return reminders.send_due_reminders()

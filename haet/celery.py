"""The Celery app: Redis broker under REDIS_URL, eager execution without it.

All periodic jobs live in the one beat schedule below, each with a comment saying when
it runs and why.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haet.settings")

app = Celery("haet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every minute: publish outbox rows whose publish was lost (Redis was down, a
    # message vanished) and re-queue rows stuck in "sending" (their worker died).
    "outbox-sweep": {
        "task": "haet.outbox.tasks.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},  # a backlog of sweeps is pointless: skip stale ones
    },
    # Every 5 minutes: deadline reminders, computed from the dates in the database,
    # each step at most once per person per deadline (haet.outbox.reminders).
    "outbox-reminders": {
        "task": "haet.outbox.tasks.send_due_reminders",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Every minute: release decisions whose scheduled release time has come (each
    # schedule is claimed once: decisions.scheduling).
    "decisions-scheduled-release": {
        "task": "decisions.tasks.release_due_decisions",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every minute: fail automatic-assignment runs whose worker died (running past
    # their time limit, or queued with no worker), so their page stops waiting and
    # offers to run again (reviews.assignment_runs.fail_stalled_runs).
    "reviews-stalled-runs": {
        "task": "reviews.tasks.sweep_stalled_runs",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every minute: fail background jobs whose worker died (running past their
    # time limit, or queued with no worker), so their page stops waiting and
    # offers to try again (haet.jobs.services.fail_stalled_jobs).
    "haet-stalled-jobs": {
        "task": "haet.jobs.tasks.sweep_stalled_jobs",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Hourly: delete the files staged on the chairs' import page and never imported,
    # once older than IMPORT_STAGING_MAX_AGE_HOURS (they hold people's data).
    "exchange-staged-uploads": {
        "task": "exchange.tasks.sweep_staged_uploads",
        "schedule": 60 * 60.0,
        "options": {"expires": 55 * 60},
    },
    # Daily: delete stored submission files that no row references and that are
    # more than a day old (left by rolled-back requests or killed workers).
    "submissions-orphan-files": {
        "task": "submissions.tasks.sweep_orphan_files",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
}

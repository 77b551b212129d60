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

app.conf.beat_schedule: dict = {}

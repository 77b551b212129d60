"""A background job: an action that may take more than a second (deploying an
assignment, releasing decisions), run by a Celery task while its starter watches
its progress on /jobs/<id>/. What each kind does lives in the app that registers
it (haet.jobs.services.register_job_kind); haet imports none of them."""

from django.conf import settings
from django.db import models

from haet import clock
from haet.models import BaseModel


class Job(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    message = models.CharField(max_length=200, blank=True)
    # {"summary": [lines], "link": {"url": ..., "label": ...}}: what the page shows.
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Set on failure: whether running it again is safe and may help.
    can_retry = models.BooleanField(default=False)
    # Other chairs may follow it (haet.jobs.rules); otherwise only its starter.
    for_chairs = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The conference clock (HAET_NOW in a demo), like the times the sweep compares.
    created_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="job_status")]

    def __str__(self) -> str:
        return f"Job {self.pk} {self.kind} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

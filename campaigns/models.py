"""Campaigns: one mail a chair writes, sent through the outbox to a chosen set of
people (issue 15, "Mail to any filtered set").

A `Campaign` keeps what the chair wrote (subject and body with {{ placeholders }}),
who it went to (a recipient kind from `campaigns.audiences` and the search that
chose the submissions) and how. Each recipient becomes one `CampaignMail`: the
outbox row it queued, or why none was queued (the person turned such mails off).
The outbox row's `dedupe_key` is `campaign:<campaign pk>:<recipient key>`, so a
double click, a retry or a job run twice queues each mail once.
"""

import uuid

from django.conf import settings
from django.db import models

from haet.models import BaseModel, Conference
from haet.outbox.models import OutboxMail


class Campaign(BaseModel):
    class Status(models.TextChoices):
        QUEUING = "queuing", "Queuing"
        QUEUED = "queued", "Queued"

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="campaigns"
    )
    # The composer's form token: posting the same preview twice finds this row.
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    recipients = models.CharField(max_length=40)  # a campaigns.audiences key
    audience = models.CharField(max_length=20)  # authors, reviewers or committee
    search = models.TextField(blank=True, max_length=1000)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    is_essential = models.BooleanField(default=False)
    is_held = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUING
    )
    recipient_count = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Campaign {self.pk}: {self.subject}"

    def dedupe_key(self, recipient_key: str) -> str:
        return f"campaign:{self.pk}:{recipient_key}"


class CampaignMail(models.Model):
    """One recipient of a campaign: the mail queued for them, or why none was."""

    class Skipped(models.TextChoices):
        NONE = "", "—"
        PREFERENCES = "preferences", "Turned off in their mail settings"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="mails"
    )
    key = models.CharField(max_length=200)
    to_email = models.EmailField(max_length=254)
    mail = models.ForeignKey(
        OutboxMail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skipped = models.CharField(
        max_length=20, choices=Skipped.choices, default="", blank=True
    )
    # The submissions the mail is about: a chair conflicted with one of them does
    # not see this row (the outbox row carries the same links).
    submission_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "key"], name="one_mail_per_campaign_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.key}"

"""Assignments of reviewers to submissions, and the automatic-assignment runs
chairs inspect before deploying them."""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models

from haet import clock
from haet.models import BaseModel, User
from submissions.models import Submission


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def for_reviewer(self, user: User | AnonymousUser) -> Self:
        """The user's assignments on live submissions, with submission and review."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(reviewer=user)
            .exclude(submission__state="withdrawn")
            .select_related("submission", "review")
            .order_by("submission__number")
        )

    def for_submission(self, submission: Submission) -> Self:
        return self.filter(submission=submission).order_by("pseudonym_index")

    def with_started_review(self) -> Self:
        return self.filter(review__isnull=False)


class Assignment(models.Model):
    """A reviewer reviews a submission; "Reviewer <pseudonym_index>" to others."""

    class Source(models.TextChoices):
        MANUAL = "manual", "By hand"
        AUTOMATIC = "automatic", "Automatic assignment"

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    # 1, 2, 3... never reused on the submission: a reviewer stays "Reviewer 2" even
    # if reviewer 1 is removed. A deployed proposal numbers its reviewers in a random
    # order (reviews.assignment_runs.deploy_run), so the number reveals neither the
    # account nor the order of the proposal; one assigned by hand gets the next number.
    pseudonym_index = models.PositiveSmallIntegerField()
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    run = models.ForeignKey(
        "AssignmentRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="Blank: the conference's review deadline."
    )

    objects = AssignmentQuerySet.as_manager()

    # Not a field: set by reviews.reminders.open_assignments (deadline with extension).
    closes_at: datetime | None

    class Meta:
        ordering = ["submission", "pseudonym_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="unique_assignment"
            ),
            models.UniqueConstraint(
                fields=["submission", "pseudonym_index"], name="unique_pseudonym"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} Reviewer {self.pseudonym_index}"

    @property
    def pseudonym(self) -> str:
        return f"Reviewer {self.pseudonym_index}"


class AssignmentRun(BaseModel):
    """A proposed automatic assignment: computed, inspected, then deployed.

    `result` holds {"pairs": [[submission_id, reviewer_id, score], ...] (new pairs
    only), "kept": [...existing pairs...], "unfilled": {submission_id: reason},
    "total_score": float, "min_paper_score": float, "seconds": float}.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Proposed"
        FAILED = "failed", "Failed"
        DEPLOYED = "deployed", "Deployed"
        DISCARDED = "discarded", "Discarded"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    params = models.JSONField(default=dict)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    progress_message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deployed_at = models.DateTimeField(null=True, blank=True)
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Shown to chairs as when the run was started: the conference clock (HAET_NOW
    # in a demo), not BaseModel's wall-clock bookkeeping.
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Assignment run {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

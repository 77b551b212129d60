"""What the exchange app keeps: where an imported submission came from, and the
chairs' retention policy for files after the workshop."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from haet.models import BaseModel, Conference
from submissions.models import Submission


class ImportedSubmission(models.Model):
    """One submission brought in by `import_submissions`: the key that makes a
    second import of the same file update instead of duplicate."""

    class Source(models.TextChoices):
        CMT = "cmt", "CMT"
        EASYCHAIR = "easychair", "EasyChair"
        HOTCRP = "hotcrp", "HotCRP"
        OPENREVIEW = "openreview", "OpenReview"

    source = models.CharField(max_length=16, choices=Source.choices)
    source_id = models.CharField(max_length=100)
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="imported_from"
    )
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["source", "source_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="unique_import_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.source_id} → #{self.submission_id}"


class RetentionPolicy(BaseModel):
    """When files are purged after the workshop. Blank months: never."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="retention_policy"
    )
    months_after_workshop = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Purge this many months after the workshop date. Blank: never.",
    )
    purge_rejected = models.BooleanField("files of rejected submissions", default=True)
    purge_withdrawn = models.BooleanField(
        "files of withdrawn submissions", default=True
    )
    purge_reviewer_copies = models.BooleanField("all reviewer copies", default=True)
    last_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"Retention policy of {self.conference}"


class ImportedReviewer(models.Model):
    """What a reviewer list said about an invited person beyond name and email:
    applied to their reviewer profile when they accept (exchange.apps)."""

    email = models.EmailField(unique=True)
    affiliation = models.CharField(max_length=200, blank=True)
    topics = models.ManyToManyField("haet.Topic", related_name="+", blank=True)
    max_assignments = models.PositiveSmallIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return f"Imported reviewer {self.email}"


class StagedUpload(models.Model):
    """Files a chair uploaded on an import page, kept in private storage under
    `import-staging/<token>/` between the dry run and the confirmation
    (exchange.imports.staging). Removed once applied; an abandoned one is swept
    after IMPORT_STAGING_MAX_AGE_HOURS (it holds people's data)."""

    token = models.CharField(max_length=32, unique=True)
    # The real clock (like the files' own dates), not the demo clock.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Staged upload of {self.file_count} file(s)"

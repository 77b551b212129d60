"""What authors upload: paper versions and supplementary material."""

from django.conf import settings
from django.db import models

from submissions.models.storage import (
    original_path,
    private_storage,
    reviewer_copy_path,
    supplementary_path,
)
from submissions.models.submission import Submission


class SubmissionVersion(models.Model):
    """An accepted upload of the paper PDF; never changed or deleted afterwards."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions"
    )
    original = models.FileField(storage=private_storage, upload_to=original_path)
    reviewer_copy = models.FileField(
        storage=private_storage,
        upload_to=reviewer_copy_path,
        blank=True,
        help_text="The original with identifying metadata removed; for reviewers.",
    )
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    main_body_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    is_main_body_self_declared = models.BooleanField(default=False)
    check_report = models.JSONField(default=dict)
    is_late = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The moment that counted against the deadline (submissions.deadlines.counted_at).
    uploaded_at = models.DateTimeField()
    # When the upload's request started and when its last byte arrived: a slow
    # transfer counts from its start (within the transfer window). Empty for
    # versions stored before these were recorded.
    request_started_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention policy removed this version's files (exchange.retention);
    # the row stays, its file fields are empty.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "uploaded_at", "pk"]
        get_latest_by = "uploaded_at"

    def __str__(self) -> str:
        return f"#{self.submission_id} {self.sha256[:12]} ({self.uploaded_at})"

    @property
    def warnings(self) -> list[dict]:
        return list(self.check_report.get("warnings", []))

    @property
    def warning_codes(self) -> list[str]:
        return [w["code"] for w in self.warnings]


class SupplementaryFile(models.Model):
    """Optional supplementary material (one PDF or ZIP); replacements are kept."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="supplementary_files"
    )
    file = models.FileField(storage=private_storage, upload_to=supplementary_path)
    reviewer_copy = models.FileField(
        storage=private_storage,
        upload_to=supplementary_path,
        blank=True,
        help_text="For reviewers: a PDF without its metadata, or the ZIP rewritten "
        "without timestamps, comments and extra fields. Reviewers get nothing else.",
    )
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    # Warnings shown to the author at upload (same shape as SubmissionVersion's).
    check_report = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    # Set when the retention policy removed the files (exchange.retention).
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.submission_id} {self.original_filename}"

    @property
    def warnings(self) -> list[dict]:
        return list(self.check_report.get("warnings", []))

    @property
    def extension(self) -> str:
        return "zip" if (self.file.name or "").endswith(".zip") else "pdf"

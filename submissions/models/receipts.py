"""Receipts of submitted PDFs."""

from django.db import models


class Receipt(models.Model):
    """What the author was told when the server accepted a submission: the
    receipt mail's content, kept so "My submissions" can show the last one."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="receipts"
    )
    version = models.ForeignKey(
        "submissions.SubmissionVersion",
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    received_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)
    is_late = models.BooleanField(default=False)
    sent_to = models.EmailField()

    class Meta:
        ordering = ["submission", "received_at", "pk"]

    def __str__(self) -> str:
        return f"Receipt #{self.submission_id} {self.received_at.isoformat()}"

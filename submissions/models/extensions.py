"""Deadline extensions the chairs grant."""

from django.conf import settings
from django.db import models


class GrantedExtension(models.Model):
    """A chair lets one submission change until `until` (exclusive: the first
    instant that is too late, as `ImportantDate.closes_at`). The latest grant wins;
    older ones stay as the log. Concrete kinds add the `submission` link."""

    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    submission_id: int  # the concrete kinds' `submission` link

    class Meta:
        abstract = True
        ordering = ["submission", "granted_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.submission_id} until {self.until.isoformat()}"


class DeadlineExtension(GrantedExtension):
    """An extension of the submission deadline."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="extensions"
    )

    class Meta(GrantedExtension.Meta):
        pass

"""Affinity scores of (reviewer, submission) pairs: computed here or uploaded."""

from django.conf import settings
from django.db import models


class AffinityScore(models.Model):
    class Source(models.TextChoices):
        COMPUTED = "computed", "Computed here"
        UPLOADED = "uploaded", "Uploaded by a chair"

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "submission", "source"], name="unique_affinity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} x #{self.submission_id} = {self.score:.3f}"

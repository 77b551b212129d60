"""Reviewers' bids on submissions."""

from django.conf import settings
from django.db import models


class Bid(models.Model):
    class Value(models.TextChoices):
        EAGER = "eager", "Eager"
        WILLING = "willing", "Willing"
        NEUTRAL = "neutral", "Neutral"
        NOT_WILLING = "not_willing", "Not willing"
        CONFLICT = "conflict", "Conflict"

    # The bid's contribution to affinity, before the chairs' weight.
    SCORES = {
        Value.EAGER: 1.0,
        Value.WILLING: 0.5,
        Value.NEUTRAL: 0.0,
        Value.NOT_WILLING: -1.0,
        Value.CONFLICT: 0.0,
    }

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bids"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="bids"
    )
    value = models.CharField(max_length=12, choices=Value.choices)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "submission"], name="unique_bid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} on #{self.submission_id}: {self.value}"

    @property
    def score(self) -> float:
        return self.SCORES[self.Value(self.value)]

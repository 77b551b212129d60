"""Review quality: chairs rate reviews; reviewers may agree to be listed among the
outstanding reviewers, a page chairs publish."""

from django.conf import settings
from django.db import models

from haet.models import BaseModel, Conference
from reviews.models.reviewing import Review


class ReviewRating(BaseModel):
    """One chair's private rating of one review. Reviewers never see it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    is_helpful = models.BooleanField()
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "rated_by"], name="one_rating_per_chair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review}: {'helpful' if self.is_helpful else 'not helpful'}"


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def for_conference(self, conference: Conference) -> "Recognition":
        found, _ = self.get_or_create(conference=conference)
        return found


class Recognition(BaseModel):
    """Whether the outstanding reviewers' page is published (off by default)."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="recognition"
    )
    is_published = models.BooleanField(default=False)

    objects = RecognitionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Outstanding reviewers of {self.conference}"


class ListingConsent(BaseModel):
    """A reviewer agrees to be named on the outstanding reviewers' page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing"
    )
    agrees = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user_id} {'agrees' if self.agrees else 'declines'}"

"""Meta-reviews: one per submission, written by a chair or (when the chairs use
area chairs) by the submission's area chair.

- `MetaReview`: `to_authors` is shown to the authors with the reviews once the
  decision is released (and fills `{{ meta_review }}` in the decision mails);
  `note_to_chairs` never leaves the chairs (and the area chair who wrote it).
  `revision` counts the versions of `to_authors` (the update mail's dedupe key).
- `MetaReviewSettings`: whether the dashboard flags decided submissions without
  a meta-review.

Imported by `decisions.models`, so `from decisions.models import MetaReview`
works too. Writes go through `decisions.meta_reviews`.
"""

from django.conf import settings
from django.db import models

from haet.models import BaseModel, Conference
from submissions.models import Submission


class MetaReviewSettingsQuerySet(models.QuerySet["MetaReviewSettings"]):
    def for_conference(self, conference: Conference) -> "MetaReviewSettings":
        found, _ = self.get_or_create(conference=conference)
        return found


class MetaReviewSettings(BaseModel):
    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="meta_review_settings"
    )
    is_required = models.BooleanField(
        default=False,
        help_text="The dashboard flags decided submissions without a meta-review.",
    )

    objects = MetaReviewSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "meta-review settings"

    def __str__(self) -> str:
        return f"Meta-review settings of {self.conference}"


class MetaReviewQuerySet(models.QuerySet["MetaReview"]):
    def text_for_authors(self, submission_id: int) -> str:
        """What `{{ meta_review }}` says in the decision mails: "" when none."""
        found = (
            self.filter(submission_id=submission_id)
            .values_list("to_authors", flat=True)
            .first()
        )
        return (found or "").strip()


class MetaReview(BaseModel):
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="meta_review"
    )
    to_authors = models.TextField(
        max_length=5000,
        help_text="Shown to the authors with the reviews once the decision is "
        "released.",
    )
    note_to_chairs = models.TextField(
        max_length=5000, blank=True, help_text="Only chairs read this."
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    revision = models.PositiveIntegerField(
        default=1, help_text="One more each time the text to the authors changes."
    )

    objects = MetaReviewQuerySet.as_manager()

    class Meta:
        ordering = ["submission__number"]

    def __str__(self) -> str:
        return f"Meta-review of #{self.submission_id}"

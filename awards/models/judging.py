"""Judging: the chairs' `ShortlistChange`s (added or removed by hand), the jurors'
`Judgement`s and the confirmed `AwardResult`s.
"""

from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from haet.models import AwardCategory, BaseModel
from submissions.models import Submission


class ShortlistChange(models.Model):
    """A chair added a paper to an award's shortlist by hand, or removed one that
    nominations or an entry put there. The latest word per paper is the only row."""

    class Action(models.TextChoices):
        ADD = "add", "Added by a chair"
        REMOVE = "remove", "Removed by a chair"

    award = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="shortlist_changes"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["award", "submission"], name="one_shortlist_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} #{self.submission_id} for {self.award_id}"


SCORE_MIN, SCORE_MAX = 1, 10


class Judgement(BaseModel):
    """One juror's score or rank of one shortlisted paper, with a comment."""

    award = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="judgements"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="+"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["award", "juror", "rank", "submission"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "submission", "juror"], name="one_judgement"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="judgement_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} on #{self.submission_id} for {self.award_id}"


class AwardResultQuerySet(models.QuerySet):
    def announced(self) -> Self:
        return self.filter(award__award_settings__announced_at__isnull=False)


class AwardResult(BaseModel):
    """A winner or honourable mention the chairs confirmed."""

    class Place(models.TextChoices):
        WINNER = "winner", "Winner"
        HONOURABLE_MENTION = "honourable_mention", "Honourable mention"

    award = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="results"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="award_results"
    )
    place = models.CharField(max_length=20, choices=Place.choices)
    citation = models.TextField(
        blank=True, help_text="A sentence or two shown on the public awards page."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AwardResultQuerySet.as_manager()

    class Meta:
        ordering = ["award", "-place", "submission__number"]  # winners first
        constraints = [
            models.UniqueConstraint(
                fields=["award", "submission"], name="one_result_per_paper"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_place_display()}: #{self.submission_id} ({self.award_id})"

    @property
    def is_winner(self) -> bool:
        return self.place == self.Place.WINNER

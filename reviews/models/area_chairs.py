"""Area chairs: senior committee members who oversee a few submissions each and
may write their meta-reviews (decisions.models_meta).

- `AreaChairSettings`: whether the chairs use area chairs at all, and how many
  submissions one area chair takes at most (the solver's load).
- `AreaChairAssignment`: the one area chair of a submission (k = 1), by hand or
  by the automatic assignment.
- `AreaChairInvitation`: a chair asks someone by email to be an area chair; the
  token link answers it (like reviewers' `Invitation`).

The role itself is the "area_chairs" group (haet.rules.AREA_CHAIRS).
"""

from typing import Self

from django.conf import settings
from django.db import models

from haet.models import BaseModel, Conference, User
from reviews.models.pool import BaseInvitation


class AreaChairSettingsQuerySet(models.QuerySet["AreaChairSettings"]):
    def for_conference(self, conference: Conference) -> "AreaChairSettings":
        found, _ = self.get_or_create(conference=conference)
        return found


class AreaChairSettings(BaseModel):
    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="area_chair_settings"
    )
    is_enabled = models.BooleanField(
        default=False,
        help_text="Area chairs write the meta-reviews of their submissions "
        "(chairs always may).",
    )
    max_load = models.PositiveSmallIntegerField(
        default=8, help_text="Most submissions per area chair."
    )

    objects = AreaChairSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "area chair settings"

    def __str__(self) -> str:
        return f"Area chair settings of {self.conference}"


class AreaChairAssignmentQuerySet(models.QuerySet["AreaChairAssignment"]):
    def for_area_chair(self, user: User) -> Self:
        """The user's live submissions, in number order, with the submission."""
        return (
            self.filter(area_chair=user)
            .exclude(submission__state="withdrawn")
            .select_related("submission")
            .order_by("submission__number")
        )


class AreaChairAssignment(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "By hand"
        AUTOMATIC = "automatic", "Automatic assignment"

    submission = models.OneToOneField(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="area_chair_assignment",
    )
    area_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="area_chair_assignments",
    )
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    objects = AreaChairAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["submission"]

    def __str__(self) -> str:
        return f"#{self.submission_id} area chair {self.area_chair_id}"


class AreaChairInvitation(BaseInvitation):
    """A chair asks someone by email to be an area chair."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(BaseInvitation.Meta):
        pass

"""What the chairs set per award category: kind, eligibility, rules, metric,
entry deadline, jury, publication (`AwardSettings`, one-to-one with
`haet.AwardCategory`).
"""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from haet.deadlines import end_of_minute_or_none
from haet.models import AwardCategory, BaseModel, Conference
from submissions.models import SubmissionField


class Kind(models.TextChoices):
    BEST_SUBMISSION = "best_paper", "Best paper"
    ENERGY_HARDWARE = "energy_hardware", "Energy-efficient hardware architecture"
    FASTEST_TRAINING = "fastest_training", "Fastest training on compute clusters"
    OTHER = "other", "Other"


PRIZE_KINDS = (Kind.ENERGY_HARDWARE, Kind.FASTEST_TRAINING)


def guess_kind(name: str) -> str:
    """The kind a category's name suggests (HAET's three are recognized)."""
    lowered = name.lower()
    if "energy" in lowered or "hardware" in lowered:
        return Kind.ENERGY_HARDWARE
    if "fastest" in lowered or "cluster" in lowered:
        return Kind.FASTEST_TRAINING
    if "best paper" in lowered:
        return Kind.BEST_SUBMISSION
    return Kind.OTHER


class AwardSettingsQuerySet(models.QuerySet["AwardSettings"]):
    def for_conference(self, conference: Conference) -> list["AwardSettings"]:
        """Settings of every category, in the call's order; creates missing rows
        (categories added on the chairs' awards page or loaded in bulk)."""
        categories = list(conference.award_categories.all())
        existing: dict[int, AwardSettings] = {
            s.award_id: s
            for s in self.filter(award__in=categories).prefetch_related("jury")
        }
        missing = [c for c in categories if c.pk not in existing]
        for category in missing:
            existing[category.pk] = self.for_award(category)
        for category in categories:
            existing[category.pk].award = category
        return [existing[c.pk] for c in categories]

    def for_award(self, award: AwardCategory) -> "AwardSettings":
        found: AwardSettings | None = self.filter(award=award).first()
        if found is None:
            kind = guess_kind(award.name)
            # Short addresses for the known kinds: /awards/fastest-training/...
            slug_base = award.name if kind == Kind.OTHER else kind.replace("_", "-")
            found, _ = self.get_or_create(
                award=award,
                defaults={"kind": kind, "slug": unique_slug(slug_base, exclude=None)},
            )
        found.award = award
        return found

    def published(self) -> Self:
        return self.filter(leaderboard_published=True)

    def announced(self) -> Self:
        return self.filter(announced_at__isnull=False)


# First path segments of other award pages (/awards/chair/, /awards/jury/ ...).
RESERVED_SLUGS = {"chair", "jury", "submission", "new"}


def unique_slug(name: str, *, exclude: int | None) -> str:
    base = (slugify(name) or "award")[:50]
    if base in RESERVED_SLUGS:
        base = f"{base}-award"
    slug, n = base, 2
    # exclude=None (a new award) excludes no row; the stubs ask for an id.
    while AwardSettings.objects.filter(slug=slug).exclude(pk=exclude).exists():  # type: ignore[misc]
        slug = f"{base[:45]}-{n}"
        n += 1
    return slug


class AwardSettings(BaseModel):
    """How an award is entered, judged and announced."""

    class Eligibility(models.TextChoices):
        ACCEPTED = "accepted", "Accepted papers"
        SUBMITTED = "submitted", "All submitted papers"

    class Metric(models.TextChoices):
        JURY = "jury", "The jury's judgement"
        ENERGY = "energy", "Energy to reach the target quality (lower is better)"
        TIME = "time", "Wall-clock time to reach the target quality (lower is better)"
        ACCELERATOR_HOURS = "accelerator_hours", "Accelerator-hours (lower is better)"

    class Judging(models.TextChoices):
        SCORE = "score", "Jurors score each paper (1-10); ranked by mean score"
        RANK = "rank", "Jurors rank the papers; ranked by Borda count"

    award = models.OneToOneField(
        AwardCategory, on_delete=models.CASCADE, related_name="award_settings"
    )
    slug = models.SlugField(
        max_length=60, unique=True, help_text="In the award's public addresses."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    eligibility = models.CharField(
        max_length=12, choices=Eligibility.choices, default=Eligibility.ACCEPTED
    )
    rules = models.TextField(
        blank=True, help_text="Rules of the award, shown to authors and jurors."
    )
    metric = models.CharField(
        max_length=20,
        choices=Metric.choices,
        default=Metric.JURY,
        help_text="What the leaderboard ranks entries on.",
    )
    judging = models.CharField(
        max_length=8, choices=Judging.choices, default=Judging.SCORE
    )
    entry_deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The last minute entries can be made or edited (as for every "
        "haet deadline, 23:59 means until midnight). Blank: no entries yet.",
    )
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="award_juries", blank=True
    )
    leaderboard_published = models.BooleanField(default=False)
    announced_at = models.DateTimeField(null=True, blank=True)
    # The submission field answer that enters the prize (awards.entry_links): a
    # yes/no field (answered yes) or one option of a choice field.
    entry_field = models.ForeignKey(
        SubmissionField,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entry_choice = models.CharField(max_length=200, blank=True)

    objects = AwardSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "award settings"
        constraints = [
            models.UniqueConstraint(
                fields=["entry_field", "entry_choice"],
                condition=models.Q(entry_field__isnull=False),
                name="one_award_per_field_option",
            )
        ]

    def __str__(self) -> str:
        return f"Settings of {self.award}"

    @property
    def accepts_entries(self) -> bool:
        return self.kind in PRIZE_KINDS

    @property
    def entry_closes_at(self) -> datetime | None:
        """The first instant too late (a deadline of 23:59 closes at 24:00)."""
        return end_of_minute_or_none(self.entry_deadline)

    def entries_open(self, now: datetime) -> bool:
        closes_at = self.entry_closes_at
        return self.accepts_entries and closes_at is not None and now < closes_at

    @property
    def is_announced(self) -> bool:
        return self.announced_at is not None

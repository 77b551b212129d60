"""Awards: judging and prize entries on top of `haet.AwardCategory`.

`haet.AwardCategory` is what the call for papers announces (name, sponsor, amount,
details). This app adds, one-to-one, `AwardSettings` (kind, eligibility, rules,
metric, entry deadline, jury, publication), the authors' structured `Entry` for a
prize, the chairs' `ShortlistChange`s (added or removed by hand), the jurors'
`Judgement`s and the confirmed `AwardResult`s. Writes go through `awards.services`.

Units: an entry keeps what the author typed (value and unit, to show it back) and
the normalized value the leaderboard sorts on: joules, seconds, watts.
"""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from awards import units
from haet.models import AwardCategory, BaseModel, Conference, end_of_minute
from submissions.models import Submission


class Kind(models.TextChoices):
    BEST_PAPER = "best_paper", "Best paper"
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
        return Kind.BEST_PAPER
    return Kind.OTHER


class AwardSettingsQuerySet(models.QuerySet):
    def for_conference(self, conference: Conference) -> list["AwardSettings"]:
        """Settings of every category, in the call's order; creates missing rows
        (categories added on the chairs' awards page or loaded in bulk)."""
        categories = list(conference.award_categories.all())
        existing = {
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
        found = self.filter(award=award).first()
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
    while AwardSettings.objects.filter(slug=slug).exclude(pk=exclude).exists():
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

    objects = AwardSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "award settings"

    def __str__(self) -> str:
        return f"Settings of {self.award}"

    @property
    def accepts_entries(self) -> bool:
        return self.kind in PRIZE_KINDS

    @property
    def entry_closes_at(self) -> datetime | None:
        """The first instant too late (a deadline of 23:59 closes at 24:00)."""
        if self.entry_deadline is None:
            return None
        return end_of_minute(self.entry_deadline)

    def entries_open(self, now: datetime) -> bool:
        closes_at = self.entry_closes_at
        return self.accepts_entries and closes_at is not None and now < closes_at

    @property
    def is_announced(self) -> bool:
        return self.announced_at is not None


class EntryQuerySet(models.QuerySet):
    def for_award(self, award: AwardCategory) -> Self:
        return self.filter(award=award)

    def for_leaderboard(self) -> Self:
        return self.select_related("submission").order_by("pk")


class Entry(BaseModel):
    """A paper's structured claim for a prize, made by its authors."""

    class HardwareKind(models.TextChoices):
        ASIC = "asic", "ASIC"
        FPGA = "fpga", "FPGA"
        GPU = "gpu", "GPU"
        CPU = "cpu", "CPU"
        IPU = "ipu", "IPU"
        NPU = "npu", "NPU"
        OTHER = "other", "Other"

    class Measurement(models.TextChoices):
        ON_CHIP = "on_chip", "On-chip sensor"
        WALL_PLUG = "wall_plug", "Wall-plug meter"
        COUNTERS = "counters", "RAPL/NVML counters"
        SIMULATION = "simulation", "Simulation"

    award = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="entries"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="award_entries"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # What was trained, to which quality.
    task = models.CharField("training task", max_length=200)
    dataset = models.CharField(max_length=200)
    target_metric = models.CharField(
        max_length=100, help_text="e.g. top-1 accuracy (%), perplexity, BLEU."
    )
    target_value = models.FloatField(help_text="The quality reached, e.g. 93.0.")
    # Hardware.
    hardware_kind = models.CharField(
        max_length=8, choices=HardwareKind.choices, blank=True
    )
    hardware_model = models.CharField(
        "process node or device model",
        max_length=200,
        blank=True,
        help_text="e.g. 7 nm ASIC, Xilinx Alveo U280, NVIDIA A100-SXM4-40GB.",
    )
    # Energy (normalized to joules; entered value and unit kept for display).
    energy_j = models.FloatField(null=True, blank=True)
    energy_value = models.FloatField(null=True, blank=True)
    energy_unit = models.CharField(max_length=4, blank=True)
    power_w = models.FloatField("average power (W)", null=True, blank=True)
    power_value = models.FloatField(null=True, blank=True)
    power_unit = models.CharField(max_length=4, blank=True)
    throughput = models.FloatField("throughput (samples/s)", null=True, blank=True)
    measurement = models.CharField(
        "measurement method", max_length=12, choices=Measurement.choices, blank=True
    )
    # Time (normalized to seconds).
    time_s = models.FloatField(null=True, blank=True)
    time_value = models.FloatField(null=True, blank=True)
    time_unit = models.CharField(max_length=4, blank=True)
    # Cluster.
    node_count = models.PositiveIntegerField(null=True, blank=True)
    accelerators_per_node = models.PositiveIntegerField(null=True, blank=True)
    accelerator_model = models.CharField(max_length=200, blank=True)
    interconnect = models.CharField(
        max_length=200, blank=True, help_text="e.g. InfiniBand HDR 200 Gb/s."
    )
    software_stack = models.CharField(
        max_length=300, blank=True, help_text="e.g. PyTorch 1.11, CUDA 11.5, NCCL."
    )
    # Derived, stored so the leaderboard sorts in the database.
    accelerator_hours = models.FloatField(null=True, blank=True)
    # Evidence.
    artifact_url = models.URLField("artifact URL", blank=True)
    code_url = models.URLField("code URL", blank=True)
    code_commit = models.CharField(
        max_length=40, blank=True, help_text="The commit the results come from."
    )
    logs_url = models.URLField("training logs URL", blank=True)
    notes = models.TextField(blank=True)
    # The jury checked the evidence.
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["award", "submission__number"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["award", "submission"], name="one_entry_per_award"
            ),
            models.CheckConstraint(
                condition=Q(energy_j__isnull=True) | Q(energy_j__gt=0),
                name="entry_energy_positive",
            ),
            models.CheckConstraint(
                condition=Q(time_s__isnull=True) | Q(time_s__gt=0),
                name="entry_time_positive",
            ),
            models.CheckConstraint(
                condition=Q(power_w__isnull=True) | Q(power_w__gt=0),
                name="entry_power_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry of #{self.submission_id} for {self.award_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def accelerator_count(self) -> int | None:
        if self.node_count and self.accelerators_per_node:
            return self.node_count * self.accelerators_per_node
        return None

    @property
    def implied_energy_j(self) -> float | None:
        """Average power x time, when both are given."""
        if self.power_w and self.time_s:
            return self.power_w * self.time_s
        return None

    @property
    def samples_per_joule(self) -> float | None:
        if self.throughput and self.power_w:
            return self.throughput / self.power_w
        return None

    @property
    def energy_display(self) -> str:
        return units.format_energy(self.energy_j)

    @property
    def time_display(self) -> str:
        return units.format_duration(self.time_s)

    @property
    def power_display(self) -> str:
        return units.format_power(self.power_w)

    @property
    def target_display(self) -> str:
        return f"{self.target_metric} {self.target_value:g}"


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

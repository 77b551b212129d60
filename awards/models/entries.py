"""The authors' structured `Entry` for a prize.

Units: an entry keeps what the author typed (value and unit, to show it back) and
the normalized value the leaderboard sorts on: joules, seconds, watts.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from awards import units
from haet.models import AwardCategory, BaseModel
from submissions.models import Submission


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

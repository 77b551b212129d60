"""Decisions and their notification.

- `Decision`: one per decided submission (accept as oral or poster, reject, desk
  reject with its reason). Invisible to authors until `released_at`. "Withdrawn by
  authors" is not stored: it is derived from `Submission.state` (see `outcome_of`).
- `DecisionLog`: every change, oldest first; a change after release is logged with
  the correction it sent.
- `DecisionMailTemplate`: the chairs' text per outcome, with {{ placeholders }},
  and of the mail telling the authors that a released meta-review changed.
- `ScheduledRelease`: a release the beat performs later (`scheduling`).

The camera-ready models live in `proceedings.models`. State changes go through
`deciding`, `release`, `scheduling` and `mail_templates`; reads live in `queries/`.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from decisions.models_meta import MetaReview, MetaReviewSettings  # noqa: F401
from haet.models import BaseModel, Conference
from submissions.models import Submission


class Outcome(models.TextChoices):
    ACCEPT_ORAL = "accept_oral", "Accept (oral)"
    ACCEPT_POSTER = "accept_poster", "Accept (poster)"
    REJECT = "reject", "Reject"
    DESK_REJECT = "desk_reject", "Desk reject"


ACCEPTED = (Outcome.ACCEPT_ORAL, Outcome.ACCEPT_POSTER)
# The chairs' mail templates: one per outcome, and the mail telling the authors
# that a meta-review they can read changed (decisions.meta_review_mails).
META_REVIEW_EDITED = "meta_review_edit"
MAIL_TEMPLATE_KINDS = [*Outcome.choices, (META_REVIEW_EDITED, "Meta-review updated")]
# What the dashboard shows besides the stored outcomes.
WITHDRAWN = "withdrawn"
UNDECIDED = "undecided"
DECISION_STATES = [
    *Outcome.choices,
    (WITHDRAWN, "Withdrawn by authors"),
    (UNDECIDED, "Undecided"),
]
DECISION_LABELS = dict(DECISION_STATES)


def outcome_of(submission: Submission, decision: "Decision | None") -> str:
    """The decision state a chair sees: withdrawn wins over any stored outcome."""
    if submission.state == Submission.State.WITHDRAWN:
        return WITHDRAWN
    return decision.outcome if decision is not None else UNDECIDED


class DecisionSettingsQuerySet(models.QuerySet["DecisionSettings"]):
    def for_conference(self, conference: Conference) -> "DecisionSettings":
        found, _ = self.get_or_create(conference=conference)
        return found


class DecisionSettings(BaseModel):
    """Per conference: how many releases happened (the release generation)."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="decision_settings"
    )
    release_count = models.PositiveIntegerField(default=0)
    first_released_at = models.DateTimeField(null=True, blank=True)

    objects = DecisionSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "decision settings"

    def __str__(self) -> str:
        return f"Decision settings of {self.conference}"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def released(self) -> Self:
        return self.filter(released_at__isnull=False)

    def unreleased(self) -> Self:
        return self.filter(released_at__isnull=True)

    def accepted(self) -> Self:
        return self.filter(outcome__in=ACCEPTED)


class Decision(BaseModel):
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField(
        blank=True, help_text="Required for a desk reject; told to the authors."
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # DecisionSettings.release_count of the release that sent the decision mail:
    # part of its dedupe key.
    release_generation = models.PositiveIntegerField(null=True, blank=True)
    # A chair's own text for this submission's decision mail, edited on the release
    # preview (decisions.mail_override): sent instead of the outcome's template, as
    # written (no placeholders). Blank: the template. Cleared when the decision
    # changes (decisions.deciding).
    mail_subject = models.CharField(max_length=300, blank=True)
    mail_body = models.TextField(blank=True)
    mail_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["submission__number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="desk_reject") | ~Q(reason=""),
                name="desk_reject_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id}: {self.outcome}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def has_edited_mail(self) -> bool:
        return bool(self.mail_subject and self.mail_body)

    @property
    def is_accepted(self) -> bool:
        return self.outcome in ACCEPTED

    @property
    def is_oral(self) -> bool:
        return self.outcome == Outcome.ACCEPT_ORAL


class ScheduledRelease(BaseModel):
    """A release of previewed decisions that the beat scheduler performs at
    `release_at` (decisions.scheduling). `tokens` are the preview's
    release tokens, released as `scheduled_by` would release them by hand, so the
    same conflict rule and the same "changed since the preview" refusal apply.
    At most one is waiting per conference."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        # Only ever seen inside the transaction that performs the release.
        STARTED = "started", "Started"
        RELEASED = "released", "Released"
        BLOCKED = "blocked", "Blocked: decisions changed since the preview"
        CANCELLED = "cancelled", "Cancelled"

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="scheduled_releases"
    )
    release_at = models.DateTimeField()
    tokens = models.JSONField(default=list)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    released_count = models.PositiveIntegerField(default=0)
    mail_count = models.PositiveIntegerField(default=0)
    # What blocked it: the submissions whose decision changed, or why it could not
    # run (the chair who scheduled it is no chair any more).
    changed_submission_ids = models.JSONField(default=list, blank=True)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-release_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference"],
                condition=Q(status="scheduled"),
                name="one_scheduled_release_per_conference",
            )
        ]

    def __str__(self) -> str:
        return f"Release of {self.conference} at {self.release_at:%Y-%m-%d %H:%M}"

    @property
    def submission_ids(self) -> list[int]:
        return [int(t.partition(":")[0]) for t in self.tokens]


class DecisionLog(models.Model):
    """What chairs decided, oldest first. `outcome` blank: the decision was cleared."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="decision_logs"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    previous_outcome = models.CharField(
        max_length=16, choices=Outcome.choices, blank=True
    )
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    # Set when the change came after release and a correction was mailed.
    is_correction = models.BooleanField(default=False)
    # The bulk decision this change was part of: the chair may undo it as a whole
    # until the decisions are released (deciding.undo_bulk_decision).
    bulk_id = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"#{self.submission_id}: {self.previous_outcome} -> {self.outcome}"


class DecisionMailTemplate(BaseModel):
    """The chairs' text of the decision mail for one outcome (or of the
    meta-review update mail: `META_REVIEW_EDITED`)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="decision_mail_templates"
    )
    outcome = models.CharField(max_length=16, choices=MAIL_TEMPLATE_KINDS)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["conference", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "outcome"], name="one_decision_template"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} mail"

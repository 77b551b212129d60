"""Submission fields chairs define, and the authors' answers (issue 15).

A `SubmissionField` is one question of the submission (or camera-ready) form: its
kind (yes/no, one choice, several choices, short or long text, number, URL, file),
whether it is required, when it is asked, who sees the answers, and optionally the
answer of another field it depends on. A field is never deleted once answered: it
is archived (`archived_at`), and its answers stay readable to chairs.

A `FieldAnswer` keeps the value as typed (`value`, JSON) and as text (`text`, what
lists, searches, placeholders and exports show), so a choice removed from the list
later stays readable.
"""

from typing import Self

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from haet.models import BaseModel, Conference
from submissions.models.storage import private_storage, random_name
from submissions.models.submission import Submission

FIELD_SLUG = r"^[a-z][a-z0-9_]*$"
field_slug_validator = RegexValidator(
    FIELD_SLUG,
    "A short name is lower-case letters, digits and '_', starting with a letter "
    "(e.g. student_author).",
)


def field_file_path(instance: models.Model, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if not extension.isalnum() or len(extension) > 8:
        extension = "bin"
    return random_name("field-files", extension)


class SubmissionFieldQuerySet(models.QuerySet["SubmissionField"]):
    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def for_conference(self, conference: Conference) -> Self:
        return self.filter(conference=conference)

    def asked_at(self, stage: str) -> Self:
        return self.active().filter(stage=stage)

    def shown_to(self, audience: str) -> Self:
        """Fields whose answers `audience` ("chairs", "authors", "reviewers",
        "public") may read. Chairs read archived fields too."""
        if audience == "chairs":
            return self.all()
        if audience == "authors":
            return self.active()
        if audience == "reviewers":
            return self.active().filter(visibility=SubmissionField.Visibility.REVIEWERS)
        if audience == "public":
            return self.active().filter(visibility=SubmissionField.Visibility.PUBLIC)
        return self.none()


class SubmissionField(BaseModel):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes/no"
        CHOICE = "choice", "One choice"
        CHOICES = "choices", "Several choices"
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        NUMBER = "number", "Number"
        URL = "url", "Web address (URL)"
        FILE = "file", "File"

    class Stage(models.TextChoices):
        SUBMISSION = "submission", "At submission"
        CAMERA_READY = "camera_ready", "At camera-ready"

    class Visibility(models.TextChoices):
        AUTHORS = "authors", "Authors and chairs only"
        REVIEWERS = "reviewers", "Reviewers too"
        PUBLIC = "public", "Public after acceptance"

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="submission_fields"
    )
    label = models.CharField(max_length=200, help_text="The question authors read.")
    slug = models.CharField(
        "short name",
        max_length=40,
        validators=[field_slug_validator],
        help_text="Used in searches (field:student_author=yes), mail placeholders "
        "({{ field.student_author }}) and export columns.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    help_text = models.CharField(max_length=500, blank=True)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options of a choice field."
    )
    required = models.BooleanField(default=False)
    stage = models.CharField(
        max_length=12, choices=Stage.choices, default=Stage.SUBMISSION
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.AUTHORS
    )
    order = models.PositiveSmallIntegerField(default=0)
    condition_field = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        help_text="Ask this only when that field's answer is the value below.",
    )
    condition_value = models.CharField(max_length=200, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionFieldQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "slug"], name="unique_submission_field_slug"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_free_text(self) -> bool:
        return self.kind in (self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT, self.Kind.URL)

    @property
    def placeholder(self) -> str:
        return f"field.{self.slug}"


class FieldAnswer(models.Model):
    """One submission's answer to one field."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="field_answers"
    )
    field = models.ForeignKey(
        SubmissionField, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="The answer as lists show it.")
    file = models.FileField(
        storage=private_storage, upload_to=field_file_path, blank=True
    )
    file_name = models.CharField(max_length=200, blank=True)
    # The identity scan found an affiliation or a link in a reviewer-visible
    # answer: stored, and flagged to chairs as a PDF's warning is.
    identity_warning = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field__order", "field__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "field"], name="unique_field_answer"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} {self.field_id}: {self.text[:40]}"

    @property
    def is_flagged(self) -> bool:
        return bool(self.identity_warning)


def answered(q: Q) -> Q:
    """Submissions with an answer matching `q` (a subquery)."""
    return Q(pk__in=FieldAnswer.objects.filter(q).values("submission"))

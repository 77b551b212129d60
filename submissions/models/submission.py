"""A submission, its authors, and the chairs' submission settings."""

from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from haet.deadlines import extended
from haet.models import BaseModel, Conference, Topic, User
from haet.rules import conflicted_submission_ids, is_chair, is_unconflicted_chair
from submissions.models.extensions import DeadlineExtension
from submissions.models.receipts import Receipt
from submissions.models.storage import MB
from submissions.orcid import validate_orcid
from submissions.rules import is_submission_author


class SubmissionSettingsQuerySet(models.QuerySet["SubmissionSettings"]):
    def for_conference(self, conference: Conference) -> "SubmissionSettings":
        found, _ = self.get_or_create(conference=conference)
        return found


class SubmissionSettings(BaseModel):
    """What chairs tune about submitting: grace period and file limits."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="submission_settings"
    )
    grace_minutes = models.PositiveIntegerField(
        default=0,
        help_text="Uploads arriving this many minutes after the deadline are still "
        "accepted and flagged “late” to chairs. 0: none.",
    )
    max_bytes = models.PositiveIntegerField(
        default=10 * MB, help_text="Largest paper PDF, in bytes."
    )
    max_pages = models.PositiveSmallIntegerField(
        default=50, help_text="Most pages in a paper PDF, appendix included."
    )
    supplementary_max_bytes = models.PositiveIntegerField(
        default=50 * MB, help_text="Largest supplementary PDF or ZIP, in bytes."
    )

    objects = SubmissionSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "submission settings"

    def __str__(self) -> str:
        return f"Submission settings of {self.conference}"

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.grace_minutes)


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Chairs see all but those they are conflicted with; anyone else what they
        are an author of."""
        if not user.is_authenticated:
            return self.none()
        if is_chair(user):
            return self.exclude(pk__in=conflicted_submission_ids(user))
        return self.filter(
            Q(contact=user)
            | Q(pk__in=Author.objects.filter(user=user).values("submission"))
        )

    def authored_by(self, user: User | AnonymousUser) -> Self:
        """Submissions the user is an author of, chair or not."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(contact=user)
            | Q(pk__in=Author.objects.filter(user=user).values("submission"))
        )

    def submitted(self) -> Self:
        return self.filter(state=Submission.State.SUBMITTED)

    def with_current_version(self) -> Self:
        return self.select_related("current_version")

    def for_listing(self) -> Self:
        """Everything a list of submissions shows, in a fixed number of queries."""
        return (
            self.select_related("current_version", "supplementary", "contact")
            .prefetch_related(
                models.Prefetch("authors", queryset=Author.objects.order_by("order")),
                "topics",
                models.Prefetch(
                    "extensions",
                    queryset=DeadlineExtension.objects.order_by("granted_at"),
                ),
                models.Prefetch(
                    "receipts", queryset=Receipt.objects.order_by("received_at")
                ),
            )
            .order_by("number")
        )


class Submission(BaseModel):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField(
        unique=True, help_text="The paper number: #12, HAET2022-12.pdf."
    )
    title = models.CharField(max_length=250)
    abstract = models.TextField(blank=True)
    keywords = models.CharField(max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, related_name="submissions", blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Something was accepted in the grace period after the deadline; chairs only.
    is_late = models.BooleanField(default=False)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_submissions",
        help_text="The contact author, who receives the receipts.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Declarations from the call for papers.
    not_accepted_at_main = models.BooleanField(
        "not accepted at the main conference", default=False
    )
    include_in_proceedings = models.BooleanField(default=False)
    arxiv_url = models.URLField("arXiv link", blank=True)
    # Stated by the author when the check could not find the references: chairs see
    # that the page count was self-declared.
    main_body_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    current_version = models.ForeignKey(
        "SubmissionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The latest accepted upload; reviewers get its reviewer copy.",
    )
    supplementary = models.ForeignKey(
        "SupplementaryFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        rules_permissions = {
            "view": is_submission_author | is_unconflicted_chair,
            "change": is_submission_author,
        }

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    @property
    def file_stem(self) -> str:
        """HAET2022-12: the paper's name in downloads."""
        acronym = "".join(ch for ch in self.conference.acronym if ch.isalnum())
        return f"{acronym}-{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN

    @property
    def latest_extension(self) -> "DeadlineExtension | None":
        extensions = list(self.extensions.all())  # prefetched by for_listing
        return max(extensions, key=lambda e: e.granted_at) if extensions else None

    def closes_at(self, deadline: datetime | None) -> datetime | None:
        """The first instant too late for this submission: the conference deadline,
        or the latest extension granted to it if later. None: no deadline set."""
        extension = self.latest_extension
        return extended(deadline, extension.until if extension else None)

    @property
    def last_receipt(self) -> "Receipt | None":
        receipts = list(self.receipts.all())  # prefetched by for_listing
        return max(receipts, key=lambda r: r.received_at) if receipts else None


class Author(models.Model):
    """One line of the ordered author list. `user` is set once a verified account
    with this email exists; that account then has the contact author's rights."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="authors"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=200, blank=True)
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="e.g. 0000-0002-1825-0097 (checked).",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authorships",
    )

    class Meta:
        ordering = ["submission", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                "submission", Lower("email"), name="unique_author_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

"""Submissions: what authors send before the deadline, and the files they upload.

A `Submission` has a public paper number (#12, HAET2022-12.pdf), an ordered list of
`Author`s, and every accepted upload as a `PaperVersion` (the latest is
`Submission.current_version`; reviewers get its reviewer copy). Files live in private
storage under random names and leave only through permission-checked views.
State changes go through `submissions.services`; reads are QuerySet methods here.
"""

import secrets
from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.deconstruct import deconstructible

from haet.models import BaseModel, Conference, Topic
from haet.rules import conflicted_submission_ids, is_chair, is_unconflicted_chair
from submissions.rules import is_submission_author

MB = 1024 * 1024


@deconstructible(path="submissions.models.PrivateStorage")
class PrivateStorage(Storage):
    """`storages["private"]`, looked up at each call rather than at import.

    A FileField evaluates its storage once, when the model class is built; forwarding
    lets settings (S3 in production, a temporary folder in tests) choose the backend.
    """

    @property
    def _backend(self) -> Storage:
        return storages["private"]

    def open(self, name, mode="rb"):
        return self._backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self._backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self._backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self._backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self._backend.generate_filename(filename)

    def path(self, name):
        return self._backend.path(name)

    def delete(self, name):
        return self._backend.delete(name)

    def exists(self, name):
        return self._backend.exists(name)

    def listdir(self, path):
        return self._backend.listdir(path)

    def size(self, name):
        return self._backend.size(name)

    def get_modified_time(self, name):
        return self._backend.get_modified_time(name)

    def url(self, name):
        raise NotImplementedError("Private files have no URL; use a download view.")


private_storage = PrivateStorage()


def random_name(folder: str, extension: str) -> str:
    """A name that reveals nothing: not the title, the authors or the number."""
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def original_path(instance, filename: str) -> str:
    return random_name("papers", "pdf")


def reviewer_copy_path(instance, filename: str) -> str:
    return random_name("reviewer-copies", "pdf")


def supplementary_path(instance, filename: str) -> str:
    extension = "zip" if filename.lower().endswith(".zip") else "pdf"
    return random_name("supplementary", extension)


class SubmissionSettingsQuerySet(models.QuerySet):
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
    def visible_to(self, user) -> Self:
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

    def authored_by(self, user) -> Self:
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
        "PaperVersion",
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
        if extension is None:
            return deadline
        if deadline is None:
            return extension.until
        return max(deadline, extension.until)

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


class PaperVersion(models.Model):
    """An accepted upload of the paper PDF; never changed or deleted afterwards."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions"
    )
    original = models.FileField(storage=private_storage, upload_to=original_path)
    reviewer_copy = models.FileField(
        storage=private_storage,
        upload_to=reviewer_copy_path,
        blank=True,
        help_text="The original with identifying metadata removed; for reviewers.",
    )
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    main_body_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    is_main_body_self_declared = models.BooleanField(default=False)
    check_report = models.JSONField(default=dict)
    is_late = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The moment that counted against the deadline (services.counted_at).
    uploaded_at = models.DateTimeField()
    # When the upload's request started and when its last byte arrived: a slow
    # transfer counts from its start (within the transfer window). Empty for
    # versions stored before these were recorded.
    request_started_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "uploaded_at", "pk"]
        get_latest_by = "uploaded_at"

    def __str__(self) -> str:
        return f"#{self.submission_id} {self.sha256[:12]} ({self.uploaded_at})"

    @property
    def warnings(self) -> list[dict]:
        return list(self.check_report.get("warnings", []))

    @property
    def warning_codes(self) -> list[str]:
        return [w["code"] for w in self.warnings]


class SupplementaryFile(models.Model):
    """Optional supplementary material (one PDF or ZIP); replacements are kept."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="supplementary_files"
    )
    file = models.FileField(storage=private_storage, upload_to=supplementary_path)
    reviewer_copy = models.FileField(
        storage=private_storage,
        upload_to=supplementary_path,
        blank=True,
        help_text="For reviewers: a PDF without its metadata, or the ZIP rewritten "
        "without timestamps, comments and extra fields. Reviewers get nothing else.",
    )
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    # Warnings shown to the author at upload (same shape as PaperVersion's).
    check_report = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.submission_id} {self.original_filename}"

    @property
    def warnings(self) -> list[dict]:
        return list(self.check_report.get("warnings", []))

    @property
    def extension(self) -> str:
        return "zip" if self.file.name.endswith(".zip") else "pdf"


class DeclaredConflict(models.Model):
    """A conflict the authors declare: a person (email) or an institution (domain)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person (email address)"
        DOMAIN = "domain", "Institution (email domain)"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(
        max_length=254, help_text="jane@uni.edu, or a domain such as uni.edu."
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "value"], name="unique_declared_conflict"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} conflicts with {self.value}"

    def matches(self, email: str) -> bool:
        """Does this declaration cover the address? Domains include subdomains."""
        email = email.strip().lower()
        if self.kind == self.Kind.PERSON:
            return email == self.value
        domain = email.rpartition("@")[2]
        return domain == self.value or domain.endswith("." + self.value)


class GrantedExtension(models.Model):
    """A chair lets one submission change until `until` (exclusive: the first
    instant that is too late, as `ImportantDate.closes_at`). The latest grant wins;
    older ones stay as the log. Concrete kinds add the `submission` link."""

    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["submission", "granted_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.submission_id} until {self.until.isoformat()}"


class DeadlineExtension(GrantedExtension):
    """An extension of the submission deadline."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="extensions"
    )

    class Meta(GrantedExtension.Meta):
        pass


class Receipt(models.Model):
    """What the author was told when the server accepted a submission: the
    receipt mail's content, kept so "My submissions" can show the last one."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="receipts"
    )
    version = models.ForeignKey(
        PaperVersion, on_delete=models.PROTECT, related_name="receipts"
    )
    received_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)
    is_late = models.BooleanField(default=False)
    sent_to = models.EmailField()

    class Meta:
        ordering = ["submission", "received_at", "pk"]

    def __str__(self) -> str:
        return f"Receipt #{self.submission_id} {self.received_at.isoformat()}"

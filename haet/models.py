"""The conference itself: what chairs edit and the public call for papers shows.

One haet deployment serves one conference (as a HotCRP instance does): its row is
`Conference.objects.current()`. Dates, topics and award categories hang off it.
"""

from datetime import datetime
from datetime import tzinfo as TimeZone
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import (  # type: ignore[attr-defined]  # private, unstubbed
    AbstractUser,
    BaseUserManager,
    _user_has_perm,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from rules.contrib.models import RulesModel

from haet import deadlines
from haet.timezones import validate_zone


class BaseModel(RulesModel):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str, password: str | None = None, **fields: Any
    ) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(
        self, email: str, password: str | None = None, **fields: Any
    ) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person; the email address is the login. Roles are groups (haet.rules)."""

    username = None  # type: ignore[assignment]  # the email address is the login
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=200, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Replaces AbstractUser's username-based manager.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_user_email_ci")
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.email

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        """Roles and rules decide, for superusers too (issue 12, finding 10).

        Django answers True to every question a superuser asks, which skipped the
        conflict rules and crashed pages built for a role the superuser lacks (a
        review page without an assignment). Here a superuser without the chair role
        is refused (404) like anyone without it; one who should run the conference
        gets the chair role. The Django admin still works: ModelBackend grants a
        superuser every model permission (those it asks without an object).
        """
        return self.is_active and _user_has_perm(self, perm, obj)


class ConferenceQuerySet(models.QuerySet["Conference"]):
    def current(self) -> "Conference":
        """The conference this deployment serves (created empty if none exists yet)."""
        conference: Conference | None = self.order_by("pk").first()
        if conference is None:
            conference = self.create(name="New workshop", acronym="WS")
        return conference


class Conference(BaseModel):
    name = models.CharField(max_length=200)
    acronym = models.CharField(
        max_length=40, help_text="Short name with year, e.g. HAET 2022."
    )
    host_venue = models.CharField(
        max_length=200, blank=True, help_text="e.g. ICML 2022, Baltimore."
    )
    tagline = models.CharField(max_length=300, blank=True)
    about = models.TextField(blank=True, help_text="Paragraphs of the call for papers.")
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="UTC-11",
        validators=[validate_zone],
        help_text="Deadlines are given in this zone: an offset such as UTC-11 or "
        "UTC+2, AoE (Anywhere on Earth, UTC-12), or an IANA name such as "
        "Europe/Paris.",
    )
    page_limit = models.PositiveSmallIntegerField(
        default=4, help_text="Main-body pages, excluding references and appendix."
    )
    camera_ready_page_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank: the same as the submission limit."
    )
    template_name = models.CharField(max_length=120, default="ICML 2022 LaTeX template")
    template_url = models.URLField(blank=True)
    instructions = models.TextField(
        blank=True,
        help_text="Author instructions. Lines starting with '- ' are list items, "
        "other lines paragraphs; [text](https://…) makes a link.",
    )
    scope = models.TextField(
        blank=True, help_text="The scope paragraph, shown above the list of topics."
    )
    awards_text = models.TextField(
        blank=True, help_text="Shown above the award categories."
    )
    booktitle = models.CharField(
        max_length=300,
        blank=True,
        help_text="Proceedings book title used in BibTeX exports.",
    )

    objects = ConferenceQuerySet.as_manager()

    def __str__(self) -> str:
        return self.acronym

    @property
    def full_name(self) -> str:
        """ "Hardware Aware Efficient Training (HAET 2022)", or the name alone
        when it holds the acronym already ("Atelier ÉCO 2027")."""
        if not self.acronym or self.acronym.casefold() in self.name.casefold():
            return self.name
        return f"{self.name} ({self.acronym})"

    @property
    def tzinfo(self) -> TimeZone:
        return deadlines.zone_of(self)[0]

    def zone_label(self, at: datetime) -> str:
        return deadlines.label_of(self, at)

    @property
    def instruction_lines(self) -> list[str]:
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]

    @property
    def instruction_blocks(self) -> list[tuple[str, list[str]]]:
        """The instructions as ("p", [text]) and ("ul", [items]) blocks, in order.

        Chairs write them as the call for papers does: an introductory sentence,
        "- " items, a closing paragraph. Text without any "- " line is a plain list,
        one item per line (how instructions were written before)."""
        lines = self.instruction_lines
        if not any(line.startswith("- ") for line in lines):
            return [("ul", lines)] if lines else []
        blocks: list[tuple[str, list[str]]] = []
        for line in lines:
            if line.startswith("- "):
                if not blocks or blocks[-1][0] != "ul":
                    blocks.append(("ul", []))
                blocks[-1][1].append(line[2:].strip())
            else:
                blocks.append(("p", [line]))
        return blocks

    @property
    def about_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.about.split("\n\n") if p.strip()]

    @cached_property
    def dates_by_kind(self) -> dict[str, "ImportantDate"]:
        return {
            d.kind: d for d in self.dates.all() if d.kind != ImportantDate.Kind.OTHER
        }

    def date(self, kind: str) -> "ImportantDate | None":
        return self.dates_by_kind.get(kind)


class ImportantDate(BaseModel):
    class Kind(models.TextChoices):
        SUBMISSION_DEADLINE = "submission", "Paper submission deadline"
        NOTIFICATION = "notification", "Acceptance notification"
        CAMERA_READY_DEADLINE = "camera_ready", "Camera-ready deadline"
        WORKSHOP = "workshop", "Workshop"
        BIDDING_DEADLINE = "bidding", "Bidding deadline"
        REVIEW_DEADLINE = "review", "Review deadline"
        OTHER = "other", "Other"

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="dates"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    label = models.CharField(max_length=120)
    at = models.DateTimeField(
        help_text="For a deadline, the last minute it is open (e.g. 23:59 in the "
        "conference's zone): submissions are accepted until that minute ends."
    )
    has_time = models.BooleanField(
        default=True, help_text="Off for a day such as the workshop itself."
    )
    is_public = models.BooleanField(
        default=True, help_text="Off for internal dates (bidding, reviews)."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "kind"],
                condition=~models.Q(kind="other"),
                name="one_date_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.at.isoformat()}"

    @property
    def closes_at(self) -> datetime:
        """The first instant that is too late: a deadline of 23:59 closes at 24:00.

        Deadlines are published to the minute ("11:59 pm"), so the whole minute is
        open; anything received before `closes_at` is on time (haet.deadlines).
        """
        if not self.has_time:
            return deadlines.closes_at(self.at, has_time=False, where=self.conference)
        return deadlines.end_of_minute(self.at)

    @property
    def local_at(self) -> datetime:
        return self.at.astimezone(self.conference.tzinfo)

    @property
    def zone_label(self) -> str:
        return self.conference.zone_label(self.at)


class DateChange(models.Model):
    """History of a date: every extension or correction, oldest first."""

    date = models.ForeignKey(
        ImportantDate, on_delete=models.CASCADE, related_name="changes"
    )
    old_at = models.DateTimeField()
    new_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.date.label}: {self.old_at} -> {self.new_at}"


class Topic(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="topics"
    )
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "name"], name="unique_topic_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AwardCategory(models.Model):
    """An award the call for papers announces; the awards app adds judging to it."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="award_categories"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sponsor = models.CharField(max_length=200, blank=True)
    amount = models.CharField(max_length=100, blank=True, help_text="e.g. USD 1,000.")
    details = models.TextField(
        blank=True,
        help_text="Rules and prize details; while blank the public page says "
        "“details coming soon”.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "award categories"

    def __str__(self) -> str:
        return self.name

    @property
    def details_coming_soon(self) -> bool:
        return not self.details.strip()

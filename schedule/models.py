"""The workshop day: sessions, the items in them, and poster boards (issue 19).

- `Schedule`: one per conference; its venue time zone, the day, and when it was
  published (before that only chairs see the public pages, as a preview).
- `Session`: a block of the day in one room (or stream) with a session chair.
- `Item`: one slot of a session: an oral (a submission and its presenter), a poster
  session (its `PosterBoard`s), an invited talk or panel (speaker, bio, photo), a
  break or the award ceremony. `placed_outcome` remembers the decision a
  submission had when it was placed, so a changed decision flags the slot.

Times are stored in UTC and entered and shown in the venue zone. State changes go
through `schedule.services`; reads live in `schedule.queries`.
"""

import secrets
from datetime import date, datetime
from datetime import tzinfo as TimeZone

from django.db import models
from django.db.models import Q

from haet import clock
from haet.models import BaseModel, Conference
from haet.timezones import parse_zone, validate_zone, zone_label
from submissions.models import Author, Submission, private_storage, random_name


def new_code() -> str:
    return secrets.token_hex(4)


def photo_path(instance: models.Model, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return random_name("speakers", extension if extension.isalnum() else "jpg")


class ScheduleQuerySet(models.QuerySet["Schedule"]):
    def for_conference(self, conference: Conference) -> "Schedule":
        found: Schedule | None = self.filter(conference=conference).first()
        if found is None:
            found, _ = self.get_or_create(
                conference=conference, defaults={"day": default_day(conference)}
            )
        found.conference = conference
        return found


def workshop_day(conference: Conference) -> date | None:
    """The day of the workshop date chairs entered, if any: a whole-day date
    is a day in the conference's zone (converting it through the venue's
    zone put a UTC+13 workshop a day early)."""
    workshop = conference.dates.filter(kind="workshop").first()
    if workshop is None:
        return None
    return workshop.at.astimezone(conference.tzinfo).date()


def default_day(conference: Conference) -> date:
    """The workshop's day; without one, today in the conference's zone (the
    chairs set the day on the editor)."""
    return workshop_day(conference) or clock.now().astimezone(conference.tzinfo).date()


class Schedule(BaseModel):
    DEFAULT_ZONE = "America/New_York"  # HAET 2022 met at ICML in Baltimore

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="schedule"
    )
    venue_time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_ZONE,
        validators=[validate_zone],
        help_text="Where the workshop takes place: times are entered and shown in "
        "this zone, e.g. America/New_York.",
    )
    day = models.DateField(help_text="The day of the workshop.")
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScheduleQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Schedule of {self.conference_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def tzinfo(self) -> TimeZone:
        return parse_zone(self.venue_time_zone)

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.tzinfo)

    def zone_label(self, at: datetime) -> str:
        return zone_label(self.venue_time_zone, at)


class Session(BaseModel):
    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(max_length=200)
    chair_name = models.CharField("session chair", max_length=200, blank=True)
    room = models.CharField(max_length=120, blank=True)
    stream_url = models.URLField("stream link", blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    day_items: list["Item"]  # set by schedule.queries.items.sessions_of, not a field

    class Meta:
        ordering = ["starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Item(BaseModel):
    class Kind(models.TextChoices):
        ORAL = "oral", "Oral presentation"
        POSTER_SESSION = "poster_session", "Poster session"
        INVITED_TALK = "invited_talk", "Invited talk"
        PANEL = "panel", "Panel"
        BREAK = "break", "Break"
        AWARD_CEREMONY = "award_ceremony", "Award ceremony"

    code = models.CharField(max_length=12, unique=True, default=new_code)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(
        max_length=250, blank=True, help_text="Blank for an oral: the paper's title."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Orals: the submission, who presents it (one of its authors), and the decision
    # outcome it had when placed (a different one now flags the slot).
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedule_items",
    )
    presenter = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placed_outcome = models.CharField(max_length=16, blank=True)
    # Invited talks and panels.
    speaker = models.CharField(
        max_length=300, blank=True, help_text="Panel: the panellists, one per line."
    )
    speaker_email = models.EmailField(
        blank=True, help_text="Private: told when the talk moves."
    )
    abstract = models.TextField(blank=True)
    bio = models.TextField(blank=True)
    # Private until the schedule is published; served by schedule:photo.
    photo = models.ImageField(storage=private_storage, upload_to=photo_path, blank=True)
    video_url = models.URLField("video link", blank=True)

    class Meta:
        ordering = ["starts_at", "session__room", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="item_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(submission__isnull=True) | Q(kind="oral"),
                name="only_orals_have_a_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_oral(self) -> bool:
        return self.kind == self.Kind.ORAL

    @property
    def is_poster_session(self) -> bool:
        return self.kind == self.Kind.POSTER_SESSION

    @property
    def has_speaker(self) -> bool:
        return self.kind in (self.Kind.INVITED_TALK, self.Kind.PANEL)


class PosterBoard(models.Model):
    """Where an accepted poster hangs during one poster session."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="boards")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="poster_boards"
    )
    number = models.PositiveSmallIntegerField()
    presenter = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placed_outcome = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"], name="one_poster_a_board"
            ),
            models.UniqueConstraint(fields=["submission"], name="one_board_a_poster"),
        ]

    def __str__(self) -> str:
        return f"Board {self.number}: #{self.submission_id}"

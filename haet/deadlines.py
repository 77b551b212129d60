"""One home for time: whether a deadline is still open, and how an instant is written.

Every page, mail, form and export asks this module; none formats a deadline itself.

Closing
- A deadline is published to the minute ("11:59 pm"), so the whole minute is open:
  `end_of_minute(23:59)` is 24:00, the first instant that is too late. Every stored
  "last open minute" (important dates, review due dates, prize entry deadlines)
  closes so; a date without a time (the workshop day) closes at the end of that day
  in the conference's zone (`closes_at`).
- An extension only ever moves a deadline later (`extended`); the chairs' grace
  period is a `Window` (closes_at + grace: accepted, flagged late).

The zone
- The conference's zone is a name a chair types: "UTC-11", "AoE" (= UTC-12),
  "Europe/Paris" (parsed by `haet.timezones`). Nothing depends on the server's zone
  (settings.TIME_ZONE): every instant is converted explicitly.

Writing (one rule everywhere)
- An instant is written in the conference's zone, labelled, and in UTC:
  "27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC)" (`write`). A deadline is
  written as its last open minute (`describe_deadline`). Pages add the viewer's own
  time with static/haet/moments.js from the `datetime` attribute of the markup
  `haet.templatetags.haet` renders.

Forms
- Dates and times are typed in the conference's zone with ISO-valued inputs
  (`day_field`, `clock_field`), so a browser date input shows the stored value and a
  form saved unchanged changes nothing; `local_parts`/`combine` convert both ways.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from django import forms

from haet.timezones import parse_zone, zone_label


class HasTimeZone(Protocol):
    @property
    def time_zone(self) -> str: ...


# A conference (or anything with a `time_zone`) or a zone name.
Where = HasTimeZone | str

ISO_DAY = "%Y-%m-%d"
ISO_CLOCK = "%H:%M"


# --- the zone ---
def zone_of(where: Where) -> tuple[tzinfo, str]:
    """(tzinfo, zone name) of a conference (or anything with `time_zone`) or a name."""
    name = where if isinstance(where, str) else where.time_zone
    return parse_zone(name), name


def label_of(where: Where, at: datetime) -> str:
    """ "UTC-11", "AoE (UTC-12)" or "CEST": the zone's label at that instant."""
    return zone_label(zone_of(where)[1], at)


def in_zone(at: datetime, where: Where) -> datetime:
    return at.astimezone(zone_of(where)[0])


# --- closing ---
def end_of_minute(at: datetime) -> datetime:
    """The first instant after the minute `at` falls in: 23:59 closes at 24:00."""
    return at.replace(second=0, microsecond=0) + timedelta(minutes=1)


def end_of_minute_or_none(at: datetime | None) -> datetime | None:
    return None if at is None else end_of_minute(at)


def closes_at(at: datetime, *, has_time: bool = True, where: Where = "UTC") -> datetime:
    """The first instant too late for a date stored as its last open minute `at`;
    a date without a time is open all that day in the zone of `where`."""
    if has_time:
        return end_of_minute(at)
    local = in_zone(at, where)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1)


def last_open_minute(closes: datetime) -> datetime:
    """The minute a deadline names: the one before it closes (24:00 -> 23:59)."""
    return (closes - timedelta(microseconds=1)).replace(second=0, microsecond=0)


def extended(
    deadline: datetime | None, *extensions: datetime | None
) -> datetime | None:
    """The latest of a deadline and its extensions (each a closing instant); an
    extension never shortens a deadline. None: no deadline at all."""
    found = [at for at in (deadline, *extensions) if at is not None]
    return max(found) if found else None


@dataclass(frozen=True)
class Window:
    """When something may still change: until `closes_at`, plus the chairs' grace
    period in which a change is accepted but flagged late. None: no deadline."""

    closes_at: datetime | None  # the first instant that is too late
    grace: timedelta = timedelta(0)

    @property
    def grace_ends_at(self) -> datetime | None:
        return None if self.closes_at is None else self.closes_at + self.grace

    def is_open(self, at: datetime) -> bool:
        return self.grace_ends_at is None or at < self.grace_ends_at

    def is_late(self, at: datetime) -> bool:
        return self.closes_at is not None and at >= self.closes_at


# --- writing ---
def _day(at: datetime) -> str:
    return f"{at.day} {at:%B %Y}"


def _clock(at: datetime) -> str:
    hour = at.hour % 12 or 12
    return f"{hour}:{at:%M} {'am' if at.hour < 12 else 'pm'}"


def iso_utc(at: datetime) -> str:
    """2022-05-28T10:59:00Z: the machine-readable instant (a `datetime` attribute)."""
    return at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Written:
    """One instant, written the haet way."""

    at: datetime
    local: str  # 27 May 2022, 11:59 pm UTC-11
    utc: str  # 28 May 2022 10:59 UTC
    day: str  # 27 May 2022 (in the conference's zone)
    clock: str  # 11:59 pm UTC-11
    zone: str  # UTC-11

    @property
    def iso(self) -> str:
        return iso_utc(self.at)

    def __str__(self) -> str:
        return f"{self.local} ({self.utc})"


def write(at: datetime, where: Where) -> Written:
    """An instant in the zone of `where` (a conference or a zone name) and in UTC."""
    local = in_zone(at, where)
    zone = label_of(where, at)
    moment = at.astimezone(UTC)
    return Written(
        at=at,
        local=f"{_day(local)}, {_clock(local)} {zone}",
        utc=f"{_day(moment)} {moment:%H:%M} UTC",
        day=_day(local),
        clock=f"{_clock(local)} {zone}",
        zone=zone,
    )


def write_day(at: datetime, where: Where) -> str:
    """27 May 2022: the day an instant falls on in the zone of `where`."""
    return _day(in_zone(at, where))


def write_utc(at: datetime) -> str:
    """28 May 2022 10:59 UTC."""
    return write(at, "UTC").utc


def describe_deadline(closes: datetime, where: Where) -> str:
    """27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC): the last open minute
    before `closes`, in the conference's zone and in UTC. Every refusal, page and
    mail that names a deadline says it this way."""
    return str(write(last_open_minute(closes), where))


def describe_moment(at: datetime, where: Where) -> str:
    """A moment that is not a deadline (a release, a receipt), written the same way."""
    return str(write(at, where))


def to_the_second(at: datetime, where: Where) -> tuple[str, str]:
    """(27 May 2022, 23:59:12 UTC-11, 28 May 2022, 10:59:12 UTC): a receipt's time."""
    local = in_zone(at, where)
    return (
        f"{local:%d %B %Y, %H:%M:%S} {label_of(where, at)}",
        f"{at.astimezone(UTC):%d %B %Y, %H:%M:%S} UTC",
    )


# --- forms ---
def zone_note(where: Where) -> str:
    """The zone a form's date is typed in, stated next to the input."""
    name = zone_of(where)[1]
    label = label_of(where, datetime.now(UTC))
    same = label.upper().startswith(name.strip().upper())
    shown = label if same else f"{name}, {label}"
    return f"In the conference's zone, {shown}."


def day_field(**kwargs: Any) -> forms.DateField:
    """A date typed in a browser date input: the value is ISO (2022-06-30), which
    is all `<input type=date>` can show (a localised 30/06/2022 shows nothing)."""
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DAY), **kwargs
    )


def clock_field(**kwargs: Any) -> forms.TimeField:
    """A time of day to the minute, in a browser time input (23:59)."""
    return forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format=ISO_CLOCK), **kwargs
    )


def local_parts(at: datetime, where: Where) -> tuple[date, time]:
    """(day, time to the minute) of an instant in the zone of `where`: a form's
    initial values."""
    local = in_zone(at, where)
    return local.date(), local.time().replace(second=0, microsecond=0)


def combine(day: date, clock: time, where: Where) -> datetime:
    """The instant of a day and time typed in the zone of `where`."""
    return datetime.combine(
        day, clock.replace(second=0, microsecond=0), zone_of(where)[0]
    )

"""Date formatting shared by pages and mails: one way to write a deadline."""

from datetime import UTC, datetime, timedelta

from django import template

register = template.Library()


def _day(at: datetime) -> str:
    return f"{at.day} {at:%B %Y}"


def _clock(at: datetime) -> str:
    hour = at.hour % 12 or 12
    return f"{hour}:{at:%M} {'am' if at.hour < 12 else 'pm'}"


@register.filter
def day(at: datetime, tz=None) -> str:
    """27 May 2022, in the given zone (default: the instant's own)."""
    return _day(at.astimezone(tz) if tz else at)


@register.filter
def utc(at: datetime) -> str:
    """28 May 2022 10:59 UTC."""
    at = at.astimezone(UTC)
    return f"{_day(at)} {at:%H:%M} UTC"


@register.simple_tag
def local_time(at: datetime, conference) -> str:
    """11:59 pm UTC-11."""
    return f"{_clock(at.astimezone(conference.tzinfo))} {conference.zone_label(at)}"


@register.simple_tag
def local_moment(at: datetime, conference) -> str:
    """27 May 2022, 11:59 pm UTC-11 — a moment in the conference's zone."""
    local = at.astimezone(conference.tzinfo)
    return f"{_day(local)}, {_clock(local)} {conference.zone_label(at)}"


def describe_deadline(closes_at: datetime, conference) -> str:
    """27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC): the last open minute
    before `closes_at`, in the conference's zone and in UTC — every refusal and
    mail that names a deadline says it this way."""
    last = closes_at - timedelta(microseconds=1)
    return f"{local_moment(last, conference)} ({utc(last)})"

"""Conference time zones: a fixed offset such as "UTC-11" or an IANA name."""

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError

_OFFSET = re.compile(
    r"^(?:UTC|GMT)\s*(?:([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?)?$", re.I
)


def parse_zone(name: str) -> tzinfo:
    """Return the tzinfo for "UTC-11", "UTC+5:30", "UTC" or an IANA zone name."""
    name = (name or "").strip()
    match = _OFFSET.match(name)
    if match:
        sign, hours, minutes = match.groups()
        if sign is None:
            return UTC
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > timedelta(hours=14):
            raise ValidationError(f"{name!r}: offsets go from UTC-14 to UTC+14.")
        return timezone(-delta if sign in "-\u2212" else delta, name.upper())
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"{name!r} is not a time zone: use an offset like UTC-11 or a name "
            "like Europe/Paris."
        ) from exc


def zone_label(name: str, at: datetime) -> str:
    """How a zone is named next to a time: "UTC-11", or the IANA abbreviation."""
    zone = parse_zone(name)
    if isinstance(zone, timezone):
        return name.strip().upper().replace("\u2212", "-") if name.strip() else "UTC"
    return at.astimezone(zone).tzname() or name


def validate_zone(name: str) -> None:
    parse_zone(name)

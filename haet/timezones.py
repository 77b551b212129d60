"""Zone names a chair may type: a fixed offset ("UTC-11"), "AoE", or an IANA name.

The rest of haet's time rules live in `haet.deadlines`; this module only turns a
name into a tzinfo and a label (the migrations name `validate_zone`, so it stays).

"AoE", Anywhere on Earth, is UTC-12 (the IEEE convention: a deadline that has not
passed anywhere on the planet). A zone of UTC-11, HAET's own, is labelled "UTC-11"
and never called AoE.
"""

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError

_OFFSET = re.compile(
    r"^(?:UTC|GMT)\s*(?:([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?)?$", re.I
)
_AOE = re.compile(r"^(?:AoE|anywhere\s+on\s+earth)$", re.I)
AOE = timezone(timedelta(hours=-12), "AoE")
AOE_LABEL = "AoE (UTC-12)"


def parse_zone(name: str) -> tzinfo:
    """The tzinfo for "UTC-11", "UTC+5:30", "UTC", "AoE" or an IANA zone name."""
    name = (name or "").strip()
    if _AOE.match(name):
        return AOE
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
    # OSError: "Europe" is a directory of the zone database, a very long name
    # no file name at all; zoneinfo lets both through.
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(
            f"{name!r} is not a time zone: use an offset like UTC-11, AoE (UTC-12) "
            "or a name like Europe/Paris."
        ) from exc


def zone_label(name: str, at: datetime) -> str:
    """How a zone is named next to a time: "UTC-11", "AoE (UTC-12)", or the IANA
    abbreviation on that day ("CEST"; "UTC+09" where the zone has none)."""
    zone = parse_zone(name)
    if zone is AOE:
        return AOE_LABEL
    if isinstance(zone, timezone):
        return name.strip().upper().replace("\u2212", "-") if name.strip() else "UTC"
    abbreviation = at.astimezone(zone).tzname() or name
    if abbreviation[:1] in "+-":  # zoneinfo writes "+09" for a zone without a name
        abbreviation = f"UTC{abbreviation}"
    return abbreviation


def validate_zone(name: str) -> None:
    parse_zone(name)

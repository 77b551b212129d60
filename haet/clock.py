"""The one source of "now" for haet.

Every deadline decision asks `now()`. In production it is the real time. For demos the
`HAET_NOW` setting moves the clock: the first call anchors HAET_NOW to the real time and
the clock then runs forward from it, so a demo seven days before the 2022 deadline shows
a live countdown and orders events correctly. A system check refuses HAET_NOW when DEBUG
is off (haet/checks.py). Tests freeze time with time-machine, which this follows too.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_anchor: tuple[str, datetime, datetime] | None = None


def parse_instant(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"HAET_NOW={value!r} is not an ISO date and time")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def now() -> datetime:
    global _anchor
    real = timezone.now()
    configured = getattr(settings, "HAET_NOW", "")
    if not configured:
        return real
    if _anchor is None or _anchor[0] != configured:
        _anchor = (configured, parse_instant(configured), real)
    _, start, real_start = _anchor
    return start + (real - real_start)

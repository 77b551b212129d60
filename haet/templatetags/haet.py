"""How pages write time; the rules themselves are in `haet.deadlines`.

- `{% deadline closes_at conference %}`: a deadline (given as the instant it closes),
  written as its last open minute in the conference's zone and in UTC, marked up for
  the viewer's own time (static/haet/moments.js). `compact=True` in tables.
- `{% moment at conference %}`: any other instant (a release, a log), the same way.
- `{{ at|day:conference }}`: the day an instant falls on in the conference's zone.
- `{{ at|utc }}`, `{% local_time %}`, `{% local_moment %}`: the parts, as text.
"""

from datetime import datetime

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from haet import deadlines

register = template.Library()


def _markup(context, written: deadlines.Written, compact: bool):
    if compact:
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            written.iso,
            written.utc,
            written.local,
        )
    return format_html(
        '<span class="moment"><time datetime="{}">{}</time> <span class="utc">'
        '({})</span><span class="viewer-time" data-viewer-time="{}" hidden></span>'
        "</span>{}",
        written.iso,
        written.local,
        written.utc,
        written.iso,
        _script_once(context),
    )


def _script_once(context) -> str:
    """moments.js, on the pages that write a moment for it, once per page."""
    page = context.dicts[0]  # shared by the page's includes
    if page.get("_haet_moments_js"):
        return ""
    page["_haet_moments_js"] = True
    return format_html('<script src="{}" defer></script>', static("haet/moments.js"))


@register.simple_tag(takes_context=True)
def deadline(context, closes_at: datetime | None, conference, compact: bool = False):
    """<time>27 May 2022, 11:59 pm UTC-11</time> (28 May 2022 10:59 UTC)."""
    if closes_at is None:
        return ""
    written = deadlines.write(deadlines.last_open_minute(closes_at), conference)
    return _markup(context, written, compact)


@register.simple_tag(takes_context=True)
def moment(context, at: datetime | None, conference, compact: bool = False):
    """An instant that is not a deadline, in the conference's zone and in UTC."""
    if at is None:
        return ""
    return _markup(context, deadlines.write(at, conference), compact)


@register.filter
def day(at: datetime | None, where: deadlines.Where) -> str:
    """27 May 2022, in the zone of `where` (a conference or a zone name)."""
    return "" if at is None else deadlines.write_day(at, where)


@register.filter
def utc(at: datetime | None) -> str:
    """28 May 2022 10:59 UTC."""
    return "" if at is None else deadlines.write_utc(at)


@register.simple_tag
def local_time(at: datetime, conference) -> str:
    """11:59 pm UTC-11."""
    return deadlines.write(at, conference).clock


@register.simple_tag
def local_moment(at: datetime, conference) -> str:
    """27 May 2022, 11:59 pm UTC-11 — a moment in the conference's zone."""
    return deadlines.write(at, conference).local

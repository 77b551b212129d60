"""{% at when %}: a time in the venue's zone, marked up for localtime.js (which adds
the viewer's own time next to it; without JavaScript the venue time stays)."""

from datetime import UTC

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def at(context, when, fmt: str = "%H:%M"):
    schedule = context["schedule"]
    local = schedule.local(when)
    utc = when.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return format_html(
        '<time datetime="{}" data-utc="{}" data-venue-zone="{}">{}</time>',
        utc,
        utc,
        schedule.venue_time_zone,
        local.strftime(fmt),
    )


@register.simple_tag(takes_context=True)
def venue_zone(context, when):
    """The venue zone's abbreviation on that day (EDT)."""
    return context["schedule"].zone_label(when)

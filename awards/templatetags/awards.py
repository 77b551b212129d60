"""Award filters: energies and durations in the units people read."""

from django import template

from awards import units

register = template.Library()


@register.filter
def energy(joules: float | None) -> str:
    return units.format_energy(joules)


@register.filter
def duration(seconds: float | None) -> str:
    return units.format_duration(seconds)

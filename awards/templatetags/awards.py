"""Award filters and the "Prizes" block for the submission page:
`{% load awards %}{% submission_prizes submission %}`."""

from django import template

from awards import units

register = template.Library()


@register.filter
def energy(joules: float | None) -> str:
    return units.format_energy(joules)


@register.filter
def duration(seconds: float | None) -> str:
    return units.format_duration(seconds)


@register.inclusion_tag("awards/_submission_prizes.html", takes_context=True)
def submission_prizes(context, submission) -> dict:
    """The prizes this paper can enter, for its authors (empty for anyone else)."""
    from awards.views import prize_statuses

    user = context["request"].user
    if not user.has_perm("awards.enter", submission):
        return {"prizes": [], "submission": submission, "hidden": True}
    return {
        "prizes": prize_statuses(submission, user),
        "submission": submission,
        "conference": context.get("conference"),
    }

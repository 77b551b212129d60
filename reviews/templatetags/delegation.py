"""Template tags of delegation and emergency reviewers, drawn on pages other apps'
views render: the reviewer's submission page (the delegation panel) and the chairs'
reviewing overview (short submissions, delegations awaiting approval)."""

from django import template

from haet.views import current_conference
from reviews.conflicts import conflicted_submission_ids
from reviews.emergency import is_near_deadline, short_submissions
from reviews.models import Delegation

register = template.Library()


@register.inclusion_tag("reviews/delegation/_panel.html", takes_context=True)
def delegation_panel(context, number: int) -> dict:
    """On the assigned reviewer's page: the delegation's state, or the offer to
    delegate (their own assignment only; the page checked the permission)."""
    request = context["request"]
    delegation = (
        Delegation.objects.live()
        .filter(
            assignment__reviewer=request.user,
            assignment__submission__number=number,
            assignment__submission__conference=current_conference(request),
        )
        .first()
    )
    return {"number": number, "delegation": delegation}


@register.inclusion_tag("reviews/emergency/_overview_cards.html", takes_context=True)
def emergency_cards(context) -> dict:
    """On the chairs' reviewing overview: short submissions (flagged near the
    deadline) and delegations awaiting approval, never counting a submission the
    chair is conflicted with."""
    request = context["request"]
    conference = current_conference(request)
    hidden = conflicted_submission_ids(request.user)
    short_count = len(short_submissions(conference, by=request.user))
    return {
        "short_count": short_count,
        "flagged_count": short_count if is_near_deadline(conference) else 0,
        "awaiting_count": Delegation.objects.awaiting_approval()
        .filter(assignment__submission__conference=conference)
        .exclude(assignment__submission_id__in=hidden)
        .count(),
    }


@register.inclusion_tag("reviews/delegation/_chair_note.html", takes_context=True)
def delegations_for_chair(context, number: int) -> dict:
    """On the chairs' page of one submission (unconflicted chairs only, the page
    checked it): which reviews a delegate writes. Chairs only ever read this."""
    request = context["request"]
    delegations = (
        Delegation.objects.filter(
            status=Delegation.Status.ACCEPTED,
            assignment__submission__number=number,
            assignment__submission__conference=current_conference(request),
        )
        .select_related("assignment__reviewer", "delegate")
        .order_by("assignment__pseudonym_index")
    )
    return {"delegations": list(delegations)}

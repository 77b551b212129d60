"""The author response and the chairs' ratings, drawn into the reviewing pages
(which the responses and ratings modules do not own):

- `{% reviewer_response blind_submission.number %}`: the authors' submitted
  response on the reviewer's page (which already checked the reviewer);
- `{% chair_quality submission as quality %}` then `quality|for_assignment:a`:
  this chair's rating of each review and whether it changed after the response,
  two queries for the page; `{% chair_response submission %}` the response itself.
"""

from django import template

from haet.views import current_conference
from reviews.models import (
    AuthorResponse,
    ListingConsent,
    ReviewAfterResponse,
    ReviewRating,
)
from reviews.models.responses import ResponseWindow

register = template.Library()


def _submitted_response(**where) -> AuthorResponse | None:
    return AuthorResponse.objects.filter(
        state=AuthorResponse.State.SUBMITTED, **where
    ).first()


@register.inclusion_tag("reviews/responses/_reviewer_response.html", takes_context=True)
def reviewer_response(context, number: int) -> dict:
    conference = current_conference(context["request"])
    return {
        "conference": conference,
        "response": _submitted_response(
            submission__number=number, submission__conference=conference
        ),
        "window": ResponseWindow.objects.filter(conference=conference).first(),
    }


@register.inclusion_tag("reviews/responses/_chair_response.html", takes_context=True)
def chair_response(context, submission) -> dict:
    conference = current_conference(context["request"])
    return {
        "conference": conference,
        "submission": submission,
        "response": AuthorResponse.objects.filter(submission=submission).first(),
        "window": ResponseWindow.objects.filter(conference=conference).first(),
    }


@register.simple_tag(takes_context=True)
def chair_quality(context, submission) -> dict:
    """{assignment pk: {"rating": this chair's rating, "after": the change after
    the response}} for the submission's reviews."""
    user = context["request"].user
    found: dict = {}
    ratings = ReviewRating.objects.filter(
        review__assignment__submission=submission, rated_by=user
    ).select_related("review")
    for rating in ratings:
        found.setdefault(rating.review.assignment_id, {})["rating"] = rating
    changes = ReviewAfterResponse.objects.filter(
        review__assignment__submission=submission
    ).select_related("review")
    for change in changes:
        found.setdefault(change.review.assignment_id, {})["after"] = change
    return found


@register.filter
def for_assignment(quality: dict, assignment) -> dict:
    return quality.get(assignment.pk, {})


@register.simple_tag(takes_context=True)
def agrees_to_be_listed(context) -> bool:
    """Whether the signed-in reviewer agreed to be named as outstanding."""
    user = context["request"].user
    return ListingConsent.objects.filter(user=user, agrees=True).exists()


@register.simple_tag(takes_context=True)
def assignment_progress(context, assignments) -> dict:
    """The reviewer's progress over their dashboard rows (`AssignmentItem`s):
    counts by status, the next due date of an unsubmitted review, and which of
    their submissions the authors responded to (one query)."""
    items = list(assignments)
    counts = {"submitted": 0, "draft": 0, "not started": 0}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    pending = [i.closes_at for i in items if i.status != "submitted" and i.closes_at]
    conference = current_conference(context["request"])
    responded = set(
        AuthorResponse.objects.filter(
            state=AuthorResponse.State.SUBMITTED,
            submission__conference=conference,
            submission__number__in=[i.number for i in items],
        ).values_list("submission__number", flat=True)
    )
    total = len(items)
    return {
        "total": total,
        "submitted": counts["submitted"],
        "draft": counts["draft"],
        "not_started": counts["not started"],
        "percent": round(100 * counts["submitted"] / total) if total else 0,
        "next_due": min(pending) if pending else None,
        "responded": responded,
    }

"""What base.html asks of reviews (listed in settings.TEMPLATES, as haet's are)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from haet.models import User
from haet.views import current_conference
from reviews.conflicts import ConflictIndex
from reviews.models import Delegation
from submissions.models import Submission


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str


def delegated_reviews(request: HttpRequest) -> dict[str, object]:
    """`delegated_reviews`: the "My work" links of a delegate, one per accepted
    delegation of a live submission of this conference (reviews:delegated), never
    one of a submission the delegate has become conflicted with since (its page is
    a 404), nor one whose delegating reviewer has. One query, run only when a
    template reads it (signed-in pages), once per request however many templates
    do; the delegate's and the reviewers' conflicts (one ConflictIndex, a fixed
    number of queries) only when there is a link to check."""

    def links() -> list[NavLink]:
        if not hasattr(request, "_haet_delegated_reviews"):
            user = getattr(request, "user", None)
            rows: Iterable[tuple[int, int, int]] = ()
            me = 0
            if user is not None and user.is_authenticated:
                me = user.pk
                rows = list(
                    Delegation.objects.accepted_by(user)
                    .filter(
                        assignment__submission__conference=current_conference(request)
                    )
                    .exclude(assignment__submission__state=Submission.State.WITHDRAWN)
                    .order_by("assignment__submission__number")
                    .values_list(
                        "assignment__submission_id",
                        "assignment__submission__number",
                        "assignment__reviewer_id",
                    )
                )
            # One index for the delegate and the reviewers they write for: a
            # delegate never has more access than that reviewer (reviews.rules).
            index = (
                ConflictIndex.build(
                    users=User.objects.filter(pk__in={me, *(r for _, _, r in rows)}),
                    submissions=[s for s, _, _ in rows],
                )
                if rows
                else ConflictIndex()
            )
            found = [
                NavLink(
                    reverse("reviews:delegated", args=[n]), f"Delegated review #{n}"
                )
                for submission_id, n, reviewer_id in rows
                if not index.is_conflicted(me, submission_id)
                and not index.is_conflicted(reviewer_id, submission_id)
            ]
            request._haet_delegated_reviews = found  # type: ignore[attr-defined]  # a cache
        return request._haet_delegated_reviews  # type: ignore[attr-defined]

    return {"delegated_reviews": SimpleLazyObject(links)}

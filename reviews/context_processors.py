"""What base.html asks of reviews (listed in settings.TEMPLATES, as haet's are)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from haet.views import current_conference
from reviews.models import Delegation
from submissions.models import Submission


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str


def delegated_reviews(request: HttpRequest) -> dict[str, object]:
    """`delegated_reviews`: the "My work" links of a delegate, one per accepted
    delegation of a live submission of this conference (reviews:delegated). One
    query, run only when a template reads it (signed-in pages), once per request
    however many templates do."""

    def links() -> list[NavLink]:
        if not hasattr(request, "_haet_delegated_reviews"):
            user = getattr(request, "user", None)
            numbers: Iterable[int] = ()
            if user is not None and user.is_authenticated:
                numbers = (
                    Delegation.objects.accepted_by(user)
                    .filter(
                        assignment__submission__conference=current_conference(request)
                    )
                    .exclude(assignment__submission__state=Submission.State.WITHDRAWN)
                    .order_by("assignment__submission__number")
                    .values_list("assignment__submission__number", flat=True)
                )
            found = [
                NavLink(
                    reverse("reviews:delegated", args=[n]), f"Delegated review #{n}"
                )
                for n in numbers
            ]
            request._haet_delegated_reviews = found  # type: ignore[attr-defined]  # a cache
        return request._haet_delegated_reviews  # type: ignore[attr-defined]

    return {"delegated_reviews": SimpleLazyObject(links)}

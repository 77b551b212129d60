"""What base.html asks of awards (listed in settings.TEMPLATES, as haet's are)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from awards.queries import is_on_a_jury


def jury(request: HttpRequest) -> dict[str, object]:
    """`is_on_a_jury`: the navigation's "Jury" link. One query, run only when a
    template reads it, and once per request however many templates do."""

    def answer() -> bool:
        if not hasattr(request, "_haet_is_on_a_jury"):
            user = getattr(request, "user", None)
            answered = user is not None and is_on_a_jury(user)
            request._haet_is_on_a_jury = answered  # type: ignore[attr-defined]  # a cache
        return request._haet_is_on_a_jury  # type: ignore[attr-defined]

    return {"is_on_a_jury": SimpleLazyObject(answer)}

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from haet.models import Conference


def conference(request: HttpRequest) -> dict[str, object]:
    """The conference for every template, fetched only if a template uses it."""

    def current() -> Conference:
        cached = getattr(request, "_haet_conference", None)
        if cached is None:
            cached = Conference.objects.current()
            request._haet_conference = cached  # type: ignore[attr-defined]  # a cache
        return cached

    return {"conference": SimpleLazyObject(current)}


def roles(request: HttpRequest) -> dict[str, bool]:
    """The signed-in person's roles for the navigation, from one cached group lookup
    (base.html hard-codes every link; awards.context_processors adds the jury's).

    `perms.x` in a template falls through to Django's ModelBackend (two queries) for
    anyone the rule refuses; these predicates share rules' per-user group cache.
    """
    from haet.rules import is_area_chair, is_chair, is_reviewer

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_chair": False, "is_reviewer": False, "is_area_chair": False}
    return {
        "is_chair": is_chair(user),
        "is_reviewer": is_reviewer(user),
        "is_area_chair": is_area_chair(user),
    }

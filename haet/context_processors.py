from django.utils.functional import SimpleLazyObject

from haet.models import Conference
from haet.nav import nav_links


def conference(request):
    """The conference for every template, fetched only if a template uses it."""

    def current():
        cached = getattr(request, "_haet_conference", None)
        if cached is None:
            cached = Conference.objects.current()
            request._haet_conference = cached
        return cached

    return {"conference": SimpleLazyObject(current)}


def roles(request):
    """The signed-in person's roles for the navigation, from one cached group lookup,
    and the entries apps registered in haet.nav (`nav_links`, evaluated only when a
    template reads them, once per request).

    `perms.x` in a template falls through to Django's ModelBackend (two queries) for
    anyone the rule refuses; these predicates share rules' per-user group cache.
    """
    from haet.rules import is_chair, is_reviewer

    user = getattr(request, "user", None)
    links = SimpleLazyObject(lambda: nav_links(request))
    if user is None or not user.is_authenticated:
        return {"is_chair": False, "is_reviewer": False, "nav_links": links}
    return {
        "is_chair": is_chair(user),
        "is_reviewer": is_reviewer(user),
        "nav_links": links,
    }

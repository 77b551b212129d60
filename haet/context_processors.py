from django.utils.functional import SimpleLazyObject

from haet.models import Conference


def conference(request):
    """The conference for every template, fetched only if a template uses it."""

    def current():
        cached = getattr(request, "_haet_conference", None)
        if cached is None:
            cached = Conference.objects.current()
            request._haet_conference = cached
        return cached

    return {"conference": SimpleLazyObject(current)}

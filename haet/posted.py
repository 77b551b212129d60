"""Ids a page's own forms post back (hidden fields, select values).

Anything but a whole number was not sent by the page: it is answered as a
missing object is, 404, never with a server error (`int("x")` raised
ValueError; so did a lookup of `pk="x"`)."""

from django.http import Http404, HttpRequest


def posted_id(request: HttpRequest, name: str) -> int:
    """The whole number posted as `name`, or 404."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404(f"No such {name}.") from None

"""Request input that no view should have to defend against, handled once.

- NUL characters: PostgreSQL cannot store or compare text containing U+0000, so a
  `?q=%00` reaching a query was a 500. No form field or URL parameter of haet has a
  use for them, so they are removed from every GET and POST value before any view
  (or form) reads it: a search for "a%00b" searches for "ab". A path with one is a
  404: no URL of haet has one.
- A body whose text fields exceed DATA_UPLOAD_MAX_MEMORY_SIZE (files do not count)
  was a bare 400 that lost the form. It now gets a page that says what happened and
  that nothing was saved; the browser's Back button returns to the form with what was
  typed (browsers restore a form's fields on history navigation).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

NUL = "\x00"


def _without_nul(data: "_ImmutableQueryDict") -> "_ImmutableQueryDict":
    if not any(
        NUL in key or any(NUL in v for v in values) for key, values in data.lists()
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
    cleaned._mutable = False
    return cast("_ImmutableQueryDict", cleaned)  # made immutable just above


class RequestInputMiddleware:
    """Reads the request's parameters before any view, CSRF check included (its
    `process_view` runs after every middleware's `__call__`), so both cases above
    are handled in one place. Place it after the auth and messages middleware: the
    "too big" page is rendered with the site's navigation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            # No URL of haet contains one; a <str:token> must not take it to the
            # database either.
            raise Http404
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            try:
                post = request.POST
            except RequestDataTooBig:
                return self.too_big(request)
            request.POST = _without_nul(post)
        return self.get_response(request)

    def too_big(self, request: HttpRequest) -> HttpResponse:
        # The unread rest of the body is discarded by the server; answer 413 (what
        # it is) with a page rather than Django's bare 400.
        return render(
            request,
            "haet/request_too_big.html",
            {
                "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
                "back_url": request.get_full_path(),
            },
            status=413,
        )

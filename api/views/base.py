"""What every endpoint shares: GET only, the viewer, private caching, ETags."""

from typing import Any

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.views.decorators.http import conditional_page
from rest_framework import exceptions, generics, mixins
from rest_framework.response import Response

from api.authentication import Viewer, viewer_of
from haet.models import Conference


class ApiView(generics.GenericAPIView):
    http_method_names = ["get", "head", "options"]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        # 405 before authentication and permissions: the API never writes.
        if request.method.lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    @cached_property
    def viewer(self) -> Viewer:
        return viewer_of(self.request)

    @cached_property
    def conference(self) -> Conference:
        return Conference.objects.current()

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What one person sees is theirs: shared caches keep nothing, and a browser
        # revalidates with the ETag (conditional GET -> 304).
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


class ListView(mixins.ListModelMixin, ApiView):
    """A paginated list of `rows()`, narrowed by `filtered` (e.g. `?q=`)."""

    def rows(self) -> Any:
        raise NotImplementedError

    def filtered(self, rows: Any) -> Any:
        return rows

    def get_queryset(self) -> Any:
        return self.filtered(self.rows())

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class BadQuery(exceptions.ParseError):
    """A `?q=` the search language cannot read: the message says where."""


def with_etag(view: Any) -> Any:
    """ETag from the rendered body; If-None-Match answers 304 (Django's
    ConditionalGetMiddleware, applied after DRF renders)."""
    return conditional_page(view)

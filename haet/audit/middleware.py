"""Binds the audit context for each request: a fresh request id, answered in the
X-Request-ID header (so a person reporting a problem can name the request and the
log's entries carry it), and the signed-in person as the actor."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haet.audit import context


class AuditContextMiddleware:
    """After AuthenticationMiddleware: the actor is `request.user`, read when an
    entry is written (a sign-in during the request is by the person signing in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Our own id, never the client's: the log must not carry what a client chose.
        request_id = uuid.uuid4().hex
        token = context.bind(
            request_id=request_id,
            actor=lambda: context.user_id(getattr(request, "user", None)),
        )
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = request_id
        return response

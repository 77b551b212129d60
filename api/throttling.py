"""Rate limits: per token, per signed-in person (session), per address otherwise.
Counted in the cache (Redis in production), the rates read from settings at each
request so that a deployment (or a test) can change them."""

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:  # the rate is read per request, in allow_request
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        self.rate = (
            settings.API_RATE_PER_TOKEN
            if request.user.is_authenticated
            else settings.API_RATE_ANONYMOUS
        )
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return f"throttle_api_{ident}"

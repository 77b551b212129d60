"""Compressed responses: HTML, JSON, CSS, JS, calendars (the 1,000-row decision
dashboard is 1.0 MB of HTML, 58 KB gzipped).

Why this is acceptable despite BREACH (an attacker who can make a victim's browser
send many requests and watch the compressed sizes guesses a secret in the page,
one character at a time, from input reflected next to it):

- The secret BREACH is after is the CSRF token. Django masks it with a fresh random
  mask every time a page renders it (`csrf_token` in every form), so the bytes in
  the page never repeat and nothing can be guessed from one response to the next.
- Django's GZipMiddleware also pads each response with a random number of bytes
  (its "Heal the BREACH" mitigation, Django 4.2+), which blurs the sizes.
- The session cookie travels in headers, which are not compressed here; cookies are
  SameSite=Lax, so other sites' pages cannot make the many credentialed background
  requests the attack needs.

Streamed responses (the permission-checked PDF and ZIP downloads) and types that
are already compressed are left alone: compressing them costs CPU for nothing and
would drop their Content-Length.
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class CompressTextMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming:
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)

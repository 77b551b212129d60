"""Sections that later apps add to the author's submission page (the decision and
reviews, prize entries), so that submissions never imports them: each app registers
a function in its AppConfig.ready() that renders its section for one submission."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from submissions.models import Submission

Panel = Callable[..., str | None]  # (request, submission) -> HTML or None
_PANELS: dict[str, Panel] = {}


def register_panel(key: str, panel: Panel) -> None:
    """Idempotent: registering the same key again replaces it."""
    _PANELS[key] = panel


def render_panels(request: HttpRequest, submission: Submission) -> list[SafeString]:
    rendered = (panel(request, submission) for panel in _PANELS.values())
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 - our templates

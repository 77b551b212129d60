"""Sections that later apps add to the home page as the conference moves on, so that
haet never imports them (as submissions.panels does for the submission page).

The home page follows the stage. Before anything is public it is the call for
papers. Once decisions are released, the sections come first (accepted papers, then
the programme once published) and the call for papers follows. After the workshop
(its ImportantDate has passed) the sections show what remains (proceedings, award
winners with their leaderboards, slides and posters) and the call for papers moves
to its own page, /call-for-papers/.

A section is `(request, conference, *, is_over) -> HTML or None`; None while it has
nothing public to show. Each app registers its sections in AppConfig.ready(), with
an `order` (lower first).
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from haet.models import Conference

Section = Callable[..., str | None]
_SECTIONS: dict[str, tuple[int, Section]] = {}


def register_home_section(key: str, section: Section, *, order: int) -> None:
    """Idempotent: registering the same key again replaces it."""
    _SECTIONS[key] = (order, section)


def render_home_sections(
    request: HttpRequest, conference: Conference, *, is_over: bool
) -> list[SafeString]:
    ordered = sorted(_SECTIONS.values(), key=lambda item: item[0])
    rendered = (section(request, conference, is_over=is_over) for _, section in ordered)
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 - our templates

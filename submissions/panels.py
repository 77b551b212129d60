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


# --- columns of the author's "My submissions" list ----------------------------------
# A later app adds a column without submissions importing it (decisions: the released
# decision). `cells(request, submissions)` reads all the rows at once (one query for
# the whole list, never one per row) and returns {submission pk: HTML} for the rows
# that have something to show; a column none of whose rows has a cell is left out.
Cells = Callable[[HttpRequest, list[Submission]], dict[int, str]]
_COLUMNS: dict[str, tuple[str, Cells]] = {}


def register_list_column(key: str, header: str, cells: Cells) -> None:
    """Idempotent: registering the same key again replaces it."""
    _COLUMNS[key] = (header, cells)


def list_columns(request: HttpRequest, submissions: list[Submission]) -> list[str]:
    """The headers of the columns shown; each submission gets `extra_cells`, one
    HTML string per shown column ("" where it has nothing)."""
    headers, columns = [], []
    for header, cells in _COLUMNS.values():
        found = cells(request, submissions) if submissions else {}
        if found:
            headers.append(header)
            columns.append(found)
    for submission in submissions:
        submission.extra_cells = [  # type: ignore[attr-defined]  # for the template
            mark_safe(column.get(submission.pk, ""))  # noqa: S308 - our templates
            for column in columns
        ]
    return headers

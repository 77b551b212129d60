"""The body of the acceptance table, rendered in Python.

Why not a template: the table has up to a thousand rows of fifteen cells, and the
Django template engine spends about 0.3 ms per row resolving and localising values
(a third of a second per page on a 2-core machine); these few lines write the same
HTML in a few milliseconds. Every value goes through `html.escape`.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from decisions.models import WITHDRAWN
from decisions.queries.dashboard import Row

FLAG_BADGES = {
    "over_length": ("warn", "over length"),
    "identity": ("warn", "identity"),
    "late": ("warn", "late"),
    "disputed": ("bad", "disagree"),
    "no_meta_review": ("warn", "no meta-review"),
}
DASH = "—"


def _number(value: object, places: int = 2) -> str:
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.{places}f}"
    return str(value)


def row_html(row: Row, *, blind: bool, base: str) -> str:
    number = row.number
    disabled = " disabled" if row.decision == WITHDRAWN else ""
    query = "?blind=1" if blind else ""
    classes = f"decision-{row.decision}" + (
        " disputed" if row.stats.is_disputed else ""
    )
    cells = [
        f'<td><input type="checkbox" name="numbers" value="{number}" '
        f'aria-label="Select #{number}"{disabled}></td>',
        f'<td class="num">{number}</td>',
        f'<td><a href="{escape(base)}{number}/{query}">{escape(row.title)}</a>'
        + "".join(
            f' <span class="tag tag-{escape(colour)}">#{escape(name)}</span>'
            for name, colour in row.tags
        )
        + "</td>",
    ]
    if not blind:
        authors = escape(row.author_text)
        cells.append(
            f'<td class="authors"><div class="clamp" title="{authors}">'
            f"{authors}</div></td>"
        )
    stats = row.stats
    topics = escape("; ".join(row.topics))
    cells += [
        # Long topic names and author lists are cut to a few lines (full text on
        # hover), so thirty rows fit a screen.
        f'<td class="topics"><div class="clamp" title="{topics}">{topics}</div></td>',
        f'<td class="num">{row.reviews_done}/{row.reviews_required}</td>',
        f'<td class="num">{_number(stats.mean)}</td>',
        f'<td class="num">{_number(stats.min)}</td>',
        f'<td class="num">{_number(stats.max)}</td>',
        f'<td class="num">{_number(stats.weighted_mean)}</td>',
        f'<td class="num">{_number(stats.spread)}</td>',
        "<td>"
        + " ".join(
            f'<span class="badge {FLAG_BADGES[f][0]}">{FLAG_BADGES[f][1]}</span>'
            for f in row.flags
        )
        + "</td>",
        "<td>"
        + " ".join(
            f'<span class="badge" title="{escape(award)}">{escape(award)}: {count}'
            "</span>"
            for award, count in row.nominations.items()
        )
        + "</td>",
        f'<td><span class="badge outcome-{row.decision}">'
        f"{escape(row.decision_label)}</span>"
        + (
            ' <span class="badge ok" title="Sent to the authors">released</span>'
            if row.is_released
            else ""
        )
        + "</td>",
    ]
    return f'<tr class="{classes}">' + "".join(cells) + "</tr>"


def table_body(rows: list[Row], *, blind: bool, base: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every value above is escaped
        "\n".join(row_html(row, blind=blind, base=base) for row in rows)
    )

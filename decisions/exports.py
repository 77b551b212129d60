"""The decision table as CSV, and the spreadsheet-safe CSV writer every export
uses. Pure functions over `queries` results."""

import csv
import io
from collections.abc import Iterable

from django.utils.text import slugify

from decisions.queries.dashboard import Row
from haet.models import Conference

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str | int | float:
    """Neutralise spreadsheet formulas: text starting with = + - @ (or a tab or
    line break) gets a leading apostrophe. Numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def _num(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


def table_csv(rows: list[Row], *, with_authors: bool) -> str:
    header = ["number", "title"]
    if with_authors:
        header.append("authors")
    header += [
        "topics",
        "reviews_done",
        "reviews_required",
        "mean",
        "min",
        "max",
        "weighted_mean",
        "spread",
        "flags",
        "nominations",
        "decision",
        "reason",
        "released",
    ]
    lines = []
    for row in rows:
        line = [row.number, row.title]
        if with_authors:
            line.append(row.author_text)
        line += [
            "; ".join(row.topics),
            row.reviews_done,
            row.reviews_required,
            _num(row.stats.mean),
            _num(row.stats.min),
            _num(row.stats.max),
            _num(row.stats.weighted_mean),
            _num(row.stats.spread),
            "; ".join(row.flags),
            "; ".join(f"{award}: {n}" for award, n in row.nominations.items()),
            row.decision_label,
            row.reason,
            row.is_released,
        ]
        lines.append(line)
    return write_csv(header, lines)


def export_filename(conference: Conference, suffix: str) -> str:
    return f"{slugify(conference.acronym)}-{suffix}"

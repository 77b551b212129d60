"""How much drawing data the pages hold once inflated, counted cheaply.

A few megabytes of Flate data can inflate to gigabytes (a "decompression
bomb"). PDFium inflates a page's content completely before it draws or reads
it, so such a file would spend seconds filling the sandbox's memory limit
before failing. Counting the inflated size first, in bounded pieces and with a
budget, refuses it in a fraction of a second; real pages are far below it (a
page of dense text is ~50 KB, a scatter plot with 4,000 markers ~1 MB).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# For the whole document: 8 times the figure-heavy test paper (4 pages, each
# with a 4,000-marker plot: 4 MB), still refused in ~0.1 s; PDFium would need
# seconds to parse that much drawing anyway.
CONTENT_BUDGET_BYTES = 32 * 2**20
_PIECE = 1 << 20


class ContentTooLarge(Exception):
    """Raised by the reviewer copy for a file over the budget."""


def content_over_budget(pdf: pikepdf.Pdf, budget: int = CONTENT_BUDGET_BYTES) -> bool:
    """True when the content streams of the pages and of the forms they draw
    inflate to more than `budget` bytes together."""
    total = 0
    for stream in _content_streams(pdf):
        total += _inflated_size(stream, budget - total + 1)
        if total > budget:
            return True
    return False


def _content_streams(pdf: pikepdf.Pdf) -> Iterator[Stream]:
    """Each page's content streams and the forms they draw, forms in forms
    included; a form drawn on many pages counts once."""
    seen: set[tuple[int, int]] = set()
    pending: list[object] = []
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        pending += list(contents) if isinstance(contents, Array) else [contents]
        pending += _forms(page.obj.get("/Resources"))
    while pending:
        stream = pending.pop()
        if not isinstance(stream, Stream):
            continue
        key = stream.objgen
        if key != (0, 0):
            if key in seen:
                continue
            seen.add(key)
        yield stream
        if stream.get("/Subtype") == Name.Form:
            pending += _forms(stream.get("/Resources"))


def _forms(resources: object) -> list[Stream]:
    xobjects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
    if not isinstance(xobjects, Dictionary):
        return []
    return [
        x
        for x in xobjects.values()
        if isinstance(x, Stream) and x.get("/Subtype") == Name.Form
    ]


def _inflated_size(stream: Stream, limit: int) -> int:
    """The stream's size after Flate, counted up to `limit`; other filters
    (rare in content) are left to the sandbox's memory limit."""
    filters = stream.get("/Filter")
    if isinstance(filters, Array) and len(filters) == 1:
        filters = filters[0]
    raw = stream.read_raw_bytes()
    if filters != Name.FlateDecode:
        return len(raw) if filters is None else 0
    inflater = zlib.decompressobj()
    size = 0
    for start in range(0, len(raw), _PIECE):
        data = raw[start : start + _PIECE]
        while data and size <= limit:
            try:
                size += len(inflater.decompress(data, _PIECE))
            except zlib.error:
                return size  # damaged: PDFium stops here too
            data = inflater.unconsumed_tail
        if size > limit or inflater.eof:
            break
    return size

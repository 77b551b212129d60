"""Text lines with positions, and what the layout says about them.

Reading-order text is not enough to find where the main body ends: in a
two-column page, "References" at the top of the right column comes *after* the
conclusion in the left column although `pdftotext -layout` prints it first.
So every decision here is made on lines with their boxes (lines.py, PDFium).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

from .bibliography import looks_like_references
from .identity import fold
from .lines import Line, read_pages

__all__ = ["BodyEnd", "Line", "PageText", "extract_text", "find_body_end"]

# Margin furniture: line numbers of review templates, page numbers, "3 / 7".
_NO_LETTERS = re.compile(r"^[\W\d_]*$")

# The headings that end the main body. Matched against the folded line with
# spaces removed, so small caps ("R EFERENCES") and numbering ("7 References",
# "A Appendix", "VI. REFERENCES") all reduce to the same form.
_END_WORDS = (
    "references|bibliography|literaturecited|workscited|referencesandnotes"
    "|appendix|appendices|appendixes"
    "|supplementarymaterials?|supplementalmaterials?|supplementaryinformation"
)
_END_HEADING = re.compile(rf"^(?:(?:\d+|[ivx]+|[a-z])[.)]?)?(?P<word>{_END_WORDS})$")
_BIBLIOGRAPHY_WORDS = ("references", "bibliography", "literature", "works")
# "Appendix A: Proofs", "Appendix B. Extra results", "A Appendix: Details".
_TITLED_APPENDIX = re.compile(
    r"^(?:[a-z][.)]?\s+)?appendix(?:\s+(?:[a-z]|\d+|[ivx]+))?\s*[.:\-]\s*\S.*$"
    r"|^appendix\s+(?:[a-z]|\d+|[ivx]+)$"
)
# An appendix lettered like the sections before it were numbered, without the
# word: ICML's "A. Additional Proofs" after "1. Introduction" ... "5. Conclusion",
# NeurIPS's "A Proofs" after "1 Introduction" (\appendix, then \section). Only
# the first letter and a capitalised title, only after two numbered section
# headings, and only at their size: a bold paragraph "A Simple Baseline" in the
# body is smaller than a section heading.
_LETTERED_APPENDIX = re.compile(r"^A\.?\s+[A-Z]")
_NUMBERED_SECTION = re.compile(r"^[1-9]\d?\.?\s+[A-Z]")
_LEADING_NUMBER = re.compile(r"^\d{1,4}\s+(?=appendix)")
# "Abstract", "ABSTRACT", "A BSTRACT" (small caps), "Abstract—We ...", "Abstract. We"
# but not a title that starts with the word ("Abstract Reasoning in ...").
_ABSTRACT = re.compile(r"^(?:abstract|a bstract)(?:$|\s*[.:-])")
_INTRODUCTION = re.compile(r"^(?:(?:\d+|[ivx]+)[.)]?\s*)?introduction$")

# Fractions of the page height that hold running headers and footers.
_TOP_BAND = 0.93
_BOTTOM_BAND = 0.05
# Where a repeated line is taken for a running header or footer (body text
# never repeats at the same place on three pages, nor as the top or bottom line
# of two; a template's header may sit lower than the top band: LNCS's at 0.87).
_HEADER_ZONE = 0.85
_FOOTER_ZONE = 0.12


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        """Text in column reading order, for searching names and emails. Lines
        without a letter are left out: the line numbers of a review template
        sort between two lines of a column ("Rahul" / "038" / "Verma"), and a
        name or an affiliation broken across those lines was never found."""
        return "\n".join(
            line.text
            for line in sorted(self.lines, key=self.reading_key)
            if _NO_LETTERS.match(line.text) is None
        )

    def reading_key(self, line: Line) -> tuple[int, float, float]:
        # Two columns: everything whose box starts right of the middle is read
        # after the left column. Good enough for finding words.
        column = 1 if line.x0 >= self.width * 0.48 else 0
        return (column, -line.y1, line.x0)

    def is_margin(self, line: Line) -> bool:
        """Running header/footer band, or a line without letters (line numbers)."""
        return (
            line.y0 >= self.height * _TOP_BAND
            or line.y1 <= self.height * _BOTTOM_BAND
            or _NO_LETTERS.match(line.text) is not None
        )


@dataclass(frozen=True)
class BodyEnd:
    """The heading that ends the main body."""

    page: int
    heading: str
    word: str  # "references", "appendix", ...
    body_pages: int  # pages before it, plus its own page if body text precedes it


def extract_text(source: str | IO[bytes], *, max_pages: int) -> list[PageText]:
    """Lines with boxes for each page (coordinates relative to the page box)."""
    return [
        PageText(page.number, page.width, page.height, page.lines)
        for page in read_pages(source, max_pages=max_pages)
    ]


def letter_count(pages: list[PageText]) -> int:
    """Letters in the document, ignoring "(cid:12)" placeholders of unmapped glyphs."""
    return sum(sum(map(str.isalpha, fold(page.text))) for page in pages)


def body_font_size(pages: list[PageText]) -> float:
    """The most common font size, weighted by letters: the body text size."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += line.letter_count
    return sizes.most_common(1)[0][0] if sizes else 0.0


_Furniture = set[tuple[int, Line]]  # (page number, line) of running headers


def _repeated_lines(pages: list[PageText]) -> _Furniture:
    """Running headers/footers: the same text (digits aside) at the same height
    on three or more pages, in the top or bottom zone of the page; or on two
    where it is the page's top or bottom line each time and no heading (a book-style
    template's odd and even heads differ: LNCS names the title on odd pages
    only, from page 3)."""
    seen: dict[tuple[str, int], list[tuple[int, Line, bool]]] = {}
    body_size = body_font_size(pages)
    for page in pages:
        if not page.lines:
            continue
        top = max(line.y1 for line in page.lines)
        bottom = min(line.y0 for line in page.lines)
        for line in page.lines:
            in_zone = line.y0 >= page.height * _HEADER_ZONE or (
                line.y1 <= page.height * _FOOTER_ZONE
            )
            if not in_zone:
                continue
            key = (re.sub(r"\d+", "#", fold(line.text)), round(line.y0 / 3))
            # A heading at the top of two pages ("Bibliography") is no head.
            at_edge = not _stands_out(line, body_size) and (
                line.y1 >= top - 0.5 or line.y0 <= bottom + 0.5
            )
            seen.setdefault(key, []).append((page.number, line, at_edge))
    repeated: set[tuple[int, Line]] = set()
    for occurrences in seen.values():
        count = len({number for number, _, _ in occurrences})
        if count >= 3 or (count == 2 and all(edge for _, _, edge in occurrences)):
            repeated.update((number, line) for number, line, _ in occurrences)
    return repeated


def _stands_out(line: Line, body_size: float) -> bool:
    """Could be a heading: short, not smaller than the body, bold or larger."""
    if len(line.text) > 80 or line.size < body_size - 0.6:
        return False  # captions, footnotes and long body lines are not headings
    return line.is_bold or line.size > body_size + 0.5


def _in_small_caps(line: Line, body_size: float) -> bool:
    """A short line in capitals, not bold, at about the body's size: a heading
    in small capitals (ICLR's "2 RELATED WORK")."""
    text = line.text.strip()
    return len(text) <= 80 and text.isupper() and line.size >= body_size * 0.7


def _end_heading_word(
    line: Line,
    body_size: float,
    *,
    section_size: float | None = None,
    caps_sections: bool = False,
) -> str | None:
    """The keyword if this line is a heading that ends the main body;
    `section_size`: two numbered section headings came before it, the smallest
    of them this size; `caps_sections`: all of them in capitals, not bold (the
    small capitals of ICLR's "2 RELATED WORK", then "A PROOFS")."""
    folded = fold(line.text).rstrip(" :.")
    bare = line.text.strip()
    # Small capitals ("REFERENCES" in IEEEtran) are measured at the size of
    # their small letters, below the body's.
    small_caps = _in_small_caps(line, body_size)
    if len(folded) > 80 or (line.size < body_size - 0.6 and not small_caps):
        return None  # captions, footnotes and long body lines are not headings
    stands_out = line.is_bold or line.size > body_size + 0.5
    if (
        section_size is not None
        and (stands_out or (caps_sections and bare.isupper()))
        and line.size >= section_size - 0.3
        and _LETTERED_APPENDIX.match(bare)
        and not _END_HEADING.match(folded.replace(" ", ""))
    ):
        return "appendix"
    if match := _END_HEADING.match(folded.replace(" ", "")):
        # A body line could end with the single word "references." at body
        # size; a heading is set apart (bold, larger, capitals) or unpunctuated.
        if stands_out or bare.isupper() or (bare[:1].isupper() and bare[-1] != "."):
            return match.group("word")
        return None
    # A line number the line took in ("131 Appendix A: Proofs", NeurIPS's
    # submission margin) is no part of the heading.
    titled = _LEADING_NUMBER.sub("", folded)
    if (stands_out or bare.isupper()) and _TITLED_APPENDIX.match(titled):
        return "appendix"
    return None


def _has_body_before(page: PageText, heading: Line, furniture: set[Line]) -> bool:
    """Is there body text above the heading (same column) or in a column to its
    left? Then the page still belongs to the main body."""
    in_right_column = heading.x0 >= page.width * 0.48
    letters = 0
    for line in page.lines:
        if line is heading or line in furniture or page.is_margin(line):
            continue
        above = (
            line.y0 >= heading.y1 - 2 and line.x0 < heading.x1 and line.x1 > heading.x0
        )
        left_column = (
            in_right_column
            and line.x1 <= heading.x0 + 2
            and line.x1 <= page.width * 0.52
        )
        if above or left_column:
            letters += line.letter_count
    # A stray symbol or a lone figure label is not a page of body text.
    return letters >= 15


def _lines_after(
    pages: list[PageText], page: PageText, heading: Line, repeated: _Furniture
) -> Iterator[str]:
    """Body lines after the heading in reading order, on to the next pages."""
    start = page.reading_key(heading)
    for current in pages[page.number - 1 :]:
        for line in sorted(current.lines, key=current.reading_key):
            if current is page and current.reading_key(line) <= start:
                continue
            if (current.number, line) in repeated or current.is_margin(line):
                continue
            yield line.text


def _starts_back_matter(
    pages: list[PageText],
    page: PageText,
    heading: Line,
    word: str,
    repeated: _Furniture,
) -> bool:
    """An appendix heading always does; a bibliography heading when entries
    follow it, not prose."""
    if not word.startswith(_BIBLIOGRAPHY_WORDS):
        return True
    return looks_like_references(
        list(islice(_lines_after(pages, page, heading, repeated), 20))
    )


def find_body_end(pages: list[PageText]) -> BodyEnd | None:
    """The first References/Bibliography/Appendix heading, in reading order.

    A bibliography heading counts only when reference entries follow it: a
    section of prose under such a heading is still main body (bibliography.py).
    """
    body_size = body_font_size(pages)
    repeated = _repeated_lines(pages)
    # (size, in small capitals) of the numbered section headings before
    sections: list[tuple[float, bool]] = []
    for page in pages:
        lines = [
            line
            for line in page.lines
            if (page.number, line) not in repeated and not page.is_margin(line)
        ]
        numbered = [
            (page.reading_key(line), (line.size, not _stands_out(line, body_size)))
            for line in lines
            if _NUMBERED_SECTION.match(line.text.strip())
            and (_stands_out(line, body_size) or _in_small_caps(line, body_size))
        ]
        candidates = []
        for line in lines:
            key = page.reading_key(line)
            before = sections + [seen for other, seen in numbered if other < key]
            word = _end_heading_word(
                line,
                body_size,
                section_size=min(size for size, _ in before)
                if len(before) >= 2
                else None,
                caps_sections=all(caps for _, caps in before),
            )
            if word:
                candidates.append((key, line, word))
        sections += [seen for _, seen in numbered]
        ends = (
            (line, word)
            for _, line, word in sorted(candidates, key=lambda c: c[0])
            if _starts_back_matter(pages, page, line, word, repeated)
        )
        if (end := next(ends, None)) is None:
            continue
        heading, word = end
        furniture = {line for number, line in repeated if number == page.number}
        before = _has_body_before(page, heading, furniture)
        return BodyEnd(
            page=page.number,
            heading=heading.text,
            word="appendix" if word.startswith("append") else word,
            body_pages=page.number if before else page.number - 1,
        )
    return None


def byline_split(page: PageText) -> tuple[str, str]:
    """Page-1 text above the abstract (title, authors, affiliations), and the rest.

    Without an "Abstract" heading, the text above "Introduction" is the byline,
    and failing that the top 40% of the page.
    """
    lines = [line for line in page.lines if not page.is_margin(line)]
    folded = [(line, fold(line.text)) for line in lines]
    markers = [line for line, text in folded if _ABSTRACT.match(text)]
    markers = markers or [
        line for line, text in folded if _INTRODUCTION.match(text.rstrip(" ."))
    ]
    limit = max((m.y0 for m in markers), default=page.height * 0.6) - 1
    column_top = _right_column_top(page, [ln for ln in lines if ln.y0 >= limit])

    def in_byline(line: Line) -> bool:
        if line.y0 < limit:
            return False
        in_column = line.x0 >= page.width * 0.48 and line.y1 <= column_top + 1
        return not in_column

    above = sorted((ln for ln in lines if in_byline(ln)), key=page.reading_key)
    below = sorted((ln for ln in lines if not in_byline(ln)), key=page.reading_key)
    return "\n".join(ln.text for ln in above), "\n".join(ln.text for ln in below)


def _right_column_top(page: PageText, lines: list[Line]) -> float:
    """Where the right column's text starts, if it starts above the abstract
    (IEEEtran puts a float above the abstract in the left column, and the
    right column runs beside both): five lines of body text, a column wide.
    Author blocks side by side (NeurIPS) are short lines. -inf if none."""
    sizes = Counter(line.size for line in page.lines for _ in range(line.letter_count))
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    right = [line for line in lines if line.x0 >= page.width * 0.48]
    column = [
        line
        for line in right
        if line.x1 - line.x0 >= page.width * 0.3 and abs(line.size - body) <= 0.6
    ]
    if len(column) < 5:
        return float("-inf")
    top = max(line.y1 for line in column)
    # A short first line (a paragraph's last, a heading) one leading above.
    for line in sorted(right, key=lambda line: line.y0):
        if top - 2 < line.y0 <= top + 1.5 * body:
            top = max(top, line.y1)
    return top

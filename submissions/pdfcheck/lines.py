"""Text lines with their boxes, read with PDFium (pypdfium2).

PDFium does the expensive part in C++: it parses the page, runs its drawing
operators and hands back the characters with their boxes. pdfminer.six, used
before, interpreted every operator in Python, so a page with a few thousand
vector paths (any plot with many points) took seconds although none of them is
text. Here Python only sees characters, and groups them into lines the way
pdfminer's layout analysis did (same thresholds), so the heuristics in text.py
read the same lines as before.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from typing import IO

import pypdfium2 as pdfium
import pypdfium2.raw as raw

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|medi", re.IGNORECASE)

# pdfminer's LAParams defaults, which the heuristics were tuned with: two
# characters are on one line when they overlap vertically by more than half
# the smaller height and the gap between them is under twice the wider one.
_LINE_OVERLAP = 0.5
_CHAR_MARGIN = 2.0
# A gap wider than this fraction of the font size is a word space even when
# the PDF draws none (PDFium usually inserts one itself).
_WORD_GAP = 0.25


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    is_bold: bool

    @property
    def letter_count(self) -> int:
        return sum(c.isalpha() for c in self.text)


@dataclass(frozen=True)
class RawPage:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]


# One character: (text, x0, y0, x1, y1, font size, is bold). A tuple, not a
# dataclass: a page has thousands and this is the hot loop.
_Char = tuple[str, float, float, float, float, float, bool]
_SPACE: _Char = (" ", 0.0, 0.0, 0.0, 0.0, 0.0, False)


def read_pages(source: str | IO[bytes], *, max_pages: int) -> list[RawPage]:
    """Lines with boxes for each page (coordinates relative to the media box)."""
    document = pdfium.PdfDocument(source)
    try:
        count = min(len(document), max_pages)
        return [_read_page(document, index) for index in range(count)]
    finally:
        document.close()


def _read_page(document: pdfium.PdfDocument, index: int) -> RawPage:
    page = document[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, left, bottom)
        finally:
            textpage.close()
    finally:
        page.close()
    return RawPage(index + 1, right - left, top - bottom, tuple(_group_lines(chars)))


def _chars(textpage: pdfium.PdfTextPage, left: float, bottom: float) -> list[_Char]:
    handle = textpage.raw
    get_unicode = raw.FPDFText_GetUnicode
    get_box = raw.FPDFText_GetLooseCharBox
    get_size = raw.FPDFText_GetFontSize
    get_font = raw.FPDFText_GetFontInfo
    rect = raw.FS_RECTF()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    bold_names: dict[bytes, bool] = {}
    chars: list[_Char] = []
    count = raw.FPDFText_CountChars(handle)
    codes = _codes(handle, count)
    for i in range(count):
        code = codes[i] if codes else get_unicode(handle, i)
        text = chr(code) if 0 < code < 0x110000 and code not in (0xFFFE, 0xFFFF) else ""
        if not text or text.isspace() or not get_box(handle, i, rect):
            # Spaces (drawn or inserted by PDFium) carry no reliable box; the
            # grouping below decides where words break.
            chars.append(_SPACE)
            continue
        get_font(handle, i, name, 256, flags)
        font = name.value
        if (bold := bold_names.get(font)) is None:
            # The base font name ("ABCDEF+NimbusRomNo9L-Medi"), as pdfminer read it.
            bold = bold_names[font] = bool(_BOLD_FONT.search(font.decode("latin-1")))
        y0, y1 = (
            (rect.bottom, rect.top)
            if rect.bottom < rect.top
            else (rect.top, rect.bottom)
        )
        chars.append(
            (
                text,
                rect.left - left,
                y0 - bottom,
                rect.right - left,
                y1 - bottom,
                round(get_size(handle, i), 1),
                bold,
            )
        )
    return chars


def _codes(handle: object, count: int) -> list[int] | None:
    """Every character's code in one call; None when a character outside the
    BMP (a surrogate pair in PDFium's UTF-16) breaks the one-to-one mapping."""
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    codes = list(buffer)[: max(written - 1, 0)]
    if len(codes) != count or any(0xD800 <= code <= 0xDFFF for code in codes):
        return None
    return codes


def _continues(last: _Char, char: _Char) -> bool:
    """pdfminer's test: horizontally aligned and close (LTLayoutContainer)."""
    overlap = min(last[4], char[4]) - max(last[2], char[2])
    if (
        overlap <= 0
        or overlap <= min(last[4] - last[2], char[4] - char[2]) * _LINE_OVERLAP
    ):
        return False
    gap = max(last[1] - char[3], char[1] - last[3], 0)
    return gap < max(last[3] - last[1], char[3] - char[1]) * _CHAR_MARGIN


def _group_lines(chars: list[_Char]) -> list[Line]:
    lines: list[Line] = []
    current: list[_Char] = []
    texts: list[str] = []
    pending_space = False
    for char in chars:
        if char is _SPACE:
            pending_space = bool(current)
            continue
        if current and _continues(last := current[-1], char):
            gap = char[1] - last[3]
            if pending_space or gap > _WORD_GAP * max(char[5], last[5], 1):
                texts.append(" ")
        elif current:
            lines.append(_line(current, texts))
            current, texts = [], []
        current.append(char)
        texts.append(char[0])
        pending_space = False
    if current:
        lines.append(_line(current, texts))
    return [line for line in lines if line.text]


def _line(chars: list[_Char], texts: list[str]) -> Line:
    sizes = Counter(c[5] for c in chars)
    bold = sum(c[6] for c in chars)
    return Line(
        text=" ".join("".join(texts).split()),
        x0=min(c[1] for c in chars),
        y0=min(c[2] for c in chars),
        x1=max(c[3] for c in chars),
        y1=max(c[4] for c in chars),
        size=sizes.most_common(1)[0][0],
        is_bold=bold * 2 > len(chars),
    )

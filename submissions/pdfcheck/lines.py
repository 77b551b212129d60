"""Text lines with their boxes, read with PDFium (pypdfium2).

PDFium does the expensive part in C++: it parses the page, runs its drawing
operators and hands back the characters with their boxes. pdfminer.six, used
before, interpreted every operator in Python, so a page with a few thousand
vector paths (any plot with many points) took seconds although none of them is
text. Here Python only sees characters, and groups them into lines the way
pdfminer's layout analysis did (same thresholds), so the heuristics in text.py
read the same lines as before.

A 4-page paper has ~20,000 characters, so the per-character work is kept to two
calls into PDFium (the box, and the text object the character belongs to: its
font and size are read once per object) and the grouping is done on numpy
arrays. The arithmetic is pdfminer's, operation for operation, including how
Python's min() and max() treat NaN, so the lines are the same as a plain loop's.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import IO

import numpy as np
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
# After an accent PDFium's spaces say nothing (see _ACCENTS), so the gap alone
# decides, at pdfminer's word margin: letters of a word sit under 0.05 em
# apart, words of a justified line (2.5 pt spaces shrunk by TeX) over 0.15.
_WORD_GAP_AFTER_ACCENT = 0.1
# A margin line number is set at most this share of the text's size (NeurIPS:
# 6 pt against 10 and 12; ACL and lineno: 7 or 8 against 10 or 11 ... 8/11 is
# 0.73).
_MARGIN_NUMBER = 0.75
# Codes PDFium uses for "no character".
_NO_CHARACTER = (0x0000, 0xFFFF)
# PDFium's text for a hyphen that ends a line (a word broken across two lines:
# "hyperparam-" / "eters"); it has the hyphen's box. Read as "-", so the halves
# can be joined again (identity.fold, profile_text): dropped, "University of
# Else" / "where" never matched the affiliation.
_LINE_END_HYPHEN = "\ufffe"
# Per code point of the BMP: no box of its own (str.isspace(), which is true of
# no character beyond the BMP, or "no character").
_SKIPPED = np.array([chr(code).isspace() for code in range(0x10000)], dtype=bool)
_SKIPPED[list(_NO_CHARACTER)] = True
# Accents drawn as glyphs of their own over a letter: TeX's \accent with the
# OT1 font encoding of the ICML and NeurIPS templates ("M\u00fcller" is "Mu"
# and a diaeresis), and combining marks. PDFium hands such an accent back out of
# order (after the next letter, or after the word), a dozen points left of the
# character that follows it, and that gap broke the line: "Zoe M\u00a8" / "uller-L".
# An author's accented name on the first page was never found. They are left
# out of the lines (identity.fold drops accents anyway), and the word break
# after one is decided by the gap between the letters, not by PDFium's space.
_ACCENTS = "\u00a8\u00b4\u00af\u00b8\u02c6\u02c7\u02d8\u02d9\u02da\u02db\u02dc\u02dd"
_ACCENT = np.zeros(0x10000, dtype=bool)
_ACCENT[[ord(c) for c in _ACCENTS]] = True
_ACCENT[0x0300:0x0370] = True  # combining diacritical marks


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
        return sum(map(str.isalpha, self.text))


@dataclass(frozen=True)
class RawPage:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]


def _plain(function, restype, *argtypes):
    """PDFium's function behind a pypdfium2 binding, with plain ctypes types:
    an int for a handle rather than a typed pointer object, which costs more to
    build than the call itself in a loop over every character."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_get_loose_box = _plain(
    raw.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_void_p,  # an FS_RECTF
)
_get_text_object = _plain(
    raw.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int
)


@dataclass(frozen=True)
class _Chars:
    """A page's characters that have a box, in PDFium's order (spaces, drawn or
    inserted by PDFium, carry no reliable box: they only mark word breaks)."""

    texts: list[str]
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    size: np.ndarray  # font size, rounded to 0.1 pt
    bold: np.ndarray
    space_before: np.ndarray  # a space (or a character without a box) precedes it
    after_accent: np.ndarray  # an accent came between it and the one before

    @property
    def is_digit(self) -> np.ndarray:
        return np.fromiter((t.isdigit() for t in self.texts), bool, len(self.texts))


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


def _chars(textpage: pdfium.PdfTextPage, left: float, bottom: float) -> _Chars:
    handle = textpage.raw
    address = ctypes.cast(handle, ctypes.c_void_p).value
    text = _text(handle, raw.FPDFText_CountChars(handle))
    rects = (raw.FS_RECTF * max(len(text), 1))()
    base, step = ctypes.addressof(rects), ctypes.sizeof(raw.FS_RECTF)
    candidates, accents_before = _candidates(text)
    boxed = [
        index
        for index in candidates
        if _get_loose_box(address, index, base + index * step)
    ]
    sizes, bolds = _styles(handle, address, boxed)
    # FS_RECTF is (left, top, right, bottom), single precision; the arithmetic
    # below is in double precision, as Python's floats were.
    box = np.frombuffer(rects, dtype=np.float32).reshape(-1, 4)[boxed]
    rect_left, rect_top, rect_right, rect_bottom = box.astype(np.float64).T
    upright = rect_bottom < rect_top
    at = np.asarray(boxed, dtype=np.int64)
    previous = np.concatenate(([-1], at))[:-1]
    # Characters without a box between two (a space) mark a word break, unless
    # an accent was among them: PDFium's space there is an artefact of the
    # accent's jump back (see _ACCENTS); the gap decides (_group_lines).
    after_accent = accents_before[at] > accents_before[previous + 1]
    return _Chars(
        texts=[
            "-" if text[index] == _LINE_END_HYPHEN else text[index] for index in boxed
        ],
        x0=rect_left - left,
        y0=np.where(upright, rect_bottom, rect_top) - bottom,
        x1=rect_right - left,
        y1=np.where(upright, rect_top, rect_bottom) - bottom,
        size=np.asarray(sizes, dtype=np.float64),
        bold=np.asarray(bolds, dtype=bool),
        space_before=(at - previous > 1) & ~after_accent,
        after_accent=after_accent,
    )


def _text(handle: object, count: int) -> str:
    """Every character, one per index ("\x00" for none): one call for the page,
    or one per character when a character outside the BMP (a surrogate pair in
    PDFium's UTF-16) breaks the one-to-one mapping."""
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    codes = np.frombuffer(buffer, dtype=np.uint16)[: max(written - 1, 0)]
    if len(codes) == count and not ((codes >= 0xD800) & (codes <= 0xDFFF)).any():
        return codes.tobytes().decode("utf-16-le")
    return "".join(
        _char(raw.FPDFText_GetUnicode(handle, index)) for index in range(count)
    )


def _char(code: int) -> str:
    return chr(code) if 0 < code < 0x110000 else "\x00"


def _candidates(text: str) -> tuple[list[int], np.ndarray]:
    """Indexes of the characters that may have a box (not a space, not "none",
    not an accent), and for each index i the number of accents in text[:i]
    (one more entry than characters)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    in_bmp = codes <= 0xFFFF
    accent = _ACCENT[codes & 0xFFFF] & in_bmp
    skipped = (_SKIPPED[codes & 0xFFFF] & in_bmp) | accent
    accents_before = np.concatenate(([0], np.cumsum(accent, dtype=np.int64)))
    return np.flatnonzero(~skipped).tolist(), accents_before


def _styles(
    handle: object, address: int, indexes: list[int]
) -> tuple[list[float], list[bool]]:
    """Font size and boldness per character, read once per text object: the
    characters of one text object share its font and size."""
    objects = [_get_text_object(address, index) for index in indexes]
    # The first character of each text object (reversed: the first one wins).
    firsts = dict(zip(reversed(objects), reversed(indexes), strict=True))
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    bold_names: dict[bytes, bool] = {}

    def style(index: int) -> tuple[float, bool]:
        raw.FPDFText_GetFontInfo(handle, index, name, 256, flags)
        font = name.value
        if (bold := bold_names.get(font)) is None:
            # The base font name ("ABCDEF+NimbusRomNo9L-Medi"), as pdfminer read it.
            bold = bold_names[font] = bool(_BOLD_FONT.search(font.decode("latin-1")))
        return round(raw.FPDFText_GetFontSize(handle, index), 1), bold

    per_object = {obj: style(index) for obj, index in firsts.items() if obj}
    styles = [
        per_object[obj] if obj else style(index)  # no text object: ask PDFium
        for obj, index in zip(objects, indexes, strict=True)
    ]
    return [size for size, _ in styles], [bold for _, bold in styles]


def _first_max(*values: np.ndarray | float) -> np.ndarray:
    """Python's max() element-wise: the first of the largest; with NaN, what
    its comparisons give (np.maximum would return NaN)."""
    result = np.asarray(values[0])
    for value in values[1:]:
        result = np.where(value > result, value, result)
    return result


def _first_min(*values: np.ndarray | float) -> np.ndarray:
    result = np.asarray(values[0])
    for value in values[1:]:
        result = np.where(value < result, value, result)
    return result


def _group_lines(chars: _Chars) -> list[Line]:
    """pdfminer's test between each character and the one before it:
    horizontally aligned and close (LTLayoutContainer) continues the line."""
    if not chars.texts:
        return []
    x0, y0, x1, y1, size = chars.x0, chars.y0, chars.x1, chars.y1, chars.size
    a = slice(None, -1)  # the character before
    b = slice(1, None)  # the character
    # A degenerate box (inf - inf) gives NaN, as Python's floats would, quietly.
    with np.errstate(invalid="ignore"):
        overlap = _first_min(y1[a], y1[b]) - _first_max(y0[a], y0[b])
        aligned = ~(
            (overlap <= 0)
            | (overlap <= _first_min(y1[a] - y0[a], y1[b] - y0[b]) * _LINE_OVERLAP)
        )
        gap = _first_max(x0[a] - x1[b], x0[b] - x1[a], 0.0)
        close = gap < _first_max(x1[a] - x0[a], x1[b] - x0[b]) * _CHAR_MARGIN
        gap_share = np.where(chars.after_accent[b], _WORD_GAP_AFTER_ACCENT, _WORD_GAP)
        word_gap = x0[b] - x1[a] > gap_share * _first_max(size[b], size[a], 1.0)
        # A line number set small in the margin of a review template and taken
        # in by the line next to it ("133 A Proofs", "26 Verma for ..."): a
        # digit, a gap, and a character at least a third larger (or the other
        # way round, in a right margin) is a break. A superscript touches its
        # word; this is a point or more away.
        digit = chars.is_digit
        smaller = (size[a] < size[b] * _MARGIN_NUMBER) & digit[a]
        larger = (size[b] < size[a] * _MARGIN_NUMBER) & digit[b]
        margin = (smaller | larger) & (x0[b] - x1[a] > 1.0)
    continues = aligned & close & ~margin
    spaced = continues & (chars.space_before[b] | word_gap)
    starts = np.flatnonzero(~continues) + 1
    bounds = [0, *starts.tolist(), len(chars.texts)]
    pieces = [
        " " + text if space else text
        for text, space in zip(chars.texts, [False, *spaced.tolist()], strict=True)
    ]
    lines = []
    for (start, end), box, line_size, bold in zip(
        pairwise(bounds),
        _line_boxes(chars, bounds),
        _line_sizes(size, bounds),
        np.add.reduceat(chars.bold.astype(np.int64), bounds[:-1]).tolist(),
        strict=True,
    ):
        text = " ".join("".join(pieces[start:end]).split())
        if text:
            lines.append(Line(text, *box, line_size, bold * 2 > end - start))
    return lines


def _line_sizes(size: np.ndarray, bounds: list[int]) -> list[float]:
    """The most common font size of each line's characters (the first of the
    most common, as Counter.most_common gives it)."""
    starts = bounds[:-1]
    single = np.minimum.reduceat(size, starts) == np.maximum.reduceat(size, starts)
    sizes = size.tolist()
    return [
        sizes[start] if same else Counter(sizes[start:end]).most_common(1)[0][0]
        for start, end, same in zip(starts, bounds[1:], single.tolist(), strict=True)
    ]


def _line_boxes(chars: _Chars, bounds: list[int]) -> list[tuple[float, ...]]:
    """(min x0, min y0, max x1, max y1) of each line's characters."""
    columns = (chars.x0, chars.y0, chars.x1, chars.y1)
    if not any(np.isnan(column).any() for column in columns):
        starts = bounds[:-1]
        return list(
            zip(
                np.minimum.reduceat(chars.x0, starts).tolist(),
                np.minimum.reduceat(chars.y0, starts).tolist(),
                np.maximum.reduceat(chars.x1, starts).tolist(),
                np.maximum.reduceat(chars.y1, starts).tolist(),
                strict=True,
            )
        )
    # NaN (a degenerate font matrix): Python's min() and max(), as before.
    x0, y0, x1, y1 = (column.tolist() for column in columns)
    return [
        (min(x0[s:e]), min(y0[s:e]), max(x1[s:e]), max(y1[s:e]))
        for s, e in pairwise(bounds)
    ]

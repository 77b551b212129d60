"""Grouping characters into lines (submissions.pdfcheck.lines).

The grouping runs on numpy arrays for speed; it must give exactly the lines of
the plain per-character loop it replaced, which follows pdfminer's layout rule.
That loop is kept here as the reference, and random pages (NaN and infinite
boxes, ties between font sizes, spaces anywhere) are grouped both ways.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from submissions.pdfcheck.lines import Line, _Chars, _group_lines, read_pages
from tests.submissions.pdf_factory import build_paper

# (text, x0, y0, x1, y1, size, is bold); None is a space.
Char = tuple[str, float, float, float, float, float, bool]


def _continues(last: Char, char: Char) -> bool:
    overlap = min(last[4], char[4]) - max(last[2], char[2])
    if overlap <= 0 or overlap <= min(last[4] - last[2], char[4] - char[2]) * 0.5:
        return False
    gap = max(last[1] - char[3], char[1] - last[3], 0)
    if not gap < max(last[3] - last[1], char[3] - char[1]) * 2.0:  # NaN: False
        return False
    # A small margin line number next to larger text, a point away, is a break.
    margin = (last[0].isdigit() and last[5] < char[5] * 0.75) or (
        char[0].isdigit() and char[5] < last[5] * 0.75
    )
    return not (margin and char[1] - last[3] > 1.0)


def reference_lines(chars: list[Char | None]) -> list[Line]:
    """The per-character loop, as it was before the arrays."""
    lines: list[Line] = []
    current: list[Char] = []
    texts: list[str] = []
    pending_space = False

    def close() -> None:
        sizes = Counter(c[5] for c in current)
        lines.append(
            Line(
                text=" ".join("".join(texts).split()),
                x0=min(c[1] for c in current),
                y0=min(c[2] for c in current),
                x1=max(c[3] for c in current),
                y1=max(c[4] for c in current),
                size=sizes.most_common(1)[0][0],
                is_bold=sum(c[6] for c in current) * 2 > len(current),
            )
        )

    for char in chars:
        if char is None:
            pending_space = bool(current)
            continue
        if current and _continues(last := current[-1], char):
            gap = char[1] - last[3]
            if pending_space or gap > 0.25 * max(char[5], last[5], 1):
                texts.append(" ")
        elif current:
            close()
            current, texts = [], []
        current.append(char)
        texts.append(char[0])
        pending_space = False
    if current:
        close()
    return [line for line in lines if line.text]


def as_arrays(chars: list[Char | None]) -> _Chars:
    kept = [(index, c) for index, c in enumerate(chars) if c is not None]
    positions = np.array([index for index, _ in kept], dtype=np.int64)
    column = [np.array([c[k] for _, c in kept], dtype=np.float64) for k in range(1, 6)]
    return _Chars(
        texts=[c[0] for _, c in kept],
        x0=column[0],
        y0=column[1],
        x1=column[2],
        y1=column[3],
        size=column[4],
        bold=np.array([c[6] for _, c in kept], dtype=bool),
        space_before=np.diff(positions, prepend=-1) > 1,
        after_accent=np.zeros(len(kept), dtype=bool),  # no accents drawn here
    )


def _same(a: list[Line], b: list[Line]) -> bool:
    """Equal, NaN equal to NaN."""

    def key(line: Line) -> tuple:
        return tuple("nan" if isinstance(v, float) and math.isnan(v) else v for v in (
            line.text, line.x0, line.y0, line.x1, line.y1, line.size, line.is_bold
        ))  # fmt: skip

    return [key(line) for line in a] == [key(line) for line in b]


_coordinate = st.one_of(
    st.sampled_from([0.0, 1.0, 2.5, 5.0, 10.0, 11.0, 12.0, 30.0]),
    st.floats(-50, 800, allow_nan=False),
    st.sampled_from([math.nan, math.inf, -math.inf]),
)
_char = st.tuples(
    st.sampled_from(["a", "B", "7", ".", "é", "-"]),
    _coordinate,
    _coordinate,
    _coordinate,
    _coordinate,
    # Each character's size a float object of its own, as PDFium's answers are:
    # Counter tells NaN objects apart by identity only.
    st.sampled_from([6.0, 9.0, 10.0, 10.0, 12.0, -0.0, 0.0, math.nan]).map(
        lambda size: size + 0.0
    ),
    st.booleans(),
)


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), _char, _char, _char), max_size=40))
def test_arrays_group_like_the_per_character_loop(chars: list[Char | None]) -> None:
    assert _same(_group_lines(as_arrays(chars)), reference_lines(chars))


def _text_line(x: float, y: float, text: str, size: float = 10.0) -> list[Char]:
    width = size * 0.5
    return [
        (c, x + k * width, y, x + (k + 1) * width - 0.5, y + size, size, False)
        for k, c in enumerate(text)
    ]


def test_two_columns_on_one_height_are_two_lines() -> None:
    chars = [*_text_line(54, 700, "left"), *_text_line(318, 700, "right")]

    lines = _group_lines(as_arrays(chars))

    assert [line.text for line in lines] == ["left", "right"]
    assert lines == reference_lines(chars)


def test_a_wide_gap_or_a_space_breaks_words() -> None:
    chars = [*_text_line(54, 700, "ab"), None, *_text_line(64, 700, "cd")]
    chars += _text_line(77, 700, "ef")  # 3.5 pt after "d", at 10 pt: a word space

    (line,) = _group_lines(as_arrays(chars))

    assert line.text == "ab cd ef"
    assert [line] == reference_lines(chars)


def test_a_paper_reads_as_its_lines(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf", pages=1, references_page=None)

    (page,) = read_pages(str(paper), max_pages=5)

    texts = [line.text for line in page.lines]
    assert "Clear Reviews for Small Workshops" in texts
    assert "Anonymous Authors" in texts
    title = next(line for line in page.lines if line.text.startswith("Clear"))
    assert title.size > 10
    assert (page.width, page.height) == (612, 792)

"""A body section under a bibliography-like heading is still main body.

A paper can have a section headed "References" or "Bibliography" that holds
ordinary prose (a history of the method, notes on the sources) before its real
bibliography. The main body ends only where reference entries follow such a
heading, so the decoy cannot make a too-long paper pass the page limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from submissions.pdfcheck import check_pdf
from submissions.pdfcheck.bibliography import looks_like_references
from tests.submissions.pdf_factory import (
    _REFERENCE,
    BOTTOM_Y,
    LEADING,
    TOP_Y,
    _body,
    build_paper,
)

# Prose of the kind a decoy section holds: sentences, no entries.
DECOY_PROSE = [
    "#References",
    *_body(6),
    "Earlier versions of this method kept all reviews in",
    "one place; the workshop chairs asked us to split them",
    "and we describe here what changed and why it matters.",
    *_body(10),
]


def _codes(path: Path) -> list[str]:
    return [issue.code for issue in check_pdf(path, sandbox=False).errors]


@pytest.mark.parametrize("column", ["left", "right"])
def test_decoy_references_section_in_two_columns_counts_as_main_body(
    tmp_path: Path, column: str
) -> None:
    # Body on pages 1-5, the decoy at the top of a column of page 2, the real
    # bibliography on page 6: five main-body pages, over the limit of four.
    where = "extra_text" if column == "left" else "extra_text_right"
    path = build_paper(
        tmp_path / "decoy.pdf", pages=7, references_page=6, **{where: {2: DECOY_PROSE}}
    )

    report = check_pdf(path, sandbox=False, page_limit=4)

    assert (report.main_body_pages, report.references_page) == (5, 6)
    assert [issue.code for issue in report.errors] == ["over_page_limit"]


def _one_column_paper(
    path: Path, *, pages: int, decoy_page: int, refs_page: int
) -> Path:
    """One column across the page, as in many journal and thesis templates."""
    canvas = Canvas(str(path), pagesize=letter, invariant=True)
    for number in range(1, pages + 1):
        lines = _body(60)
        if number == decoy_page:
            lines = ["#Bibliography", *DECOY_PROSE[1:], *_body(40)]
        elif number == refs_page:
            lines = ["#Bibliography", *[_REFERENCE] * 50]
        elif number > refs_page:
            lines = [_REFERENCE] * 50
        y = TOP_Y
        for text in lines:
            if y < BOTTOM_Y:
                break
            bold = text.startswith("#")
            canvas.setFont("Times-Bold" if bold else "Times-Roman", 12 if bold else 10)
            canvas.drawString(72, y, text.removeprefix("#"))
            y -= LEADING
        canvas.setFont("Times-Roman", 10)
        canvas.drawCentredString(letter[0] / 2, 36, str(number))
        canvas.showPage()
    canvas.save()
    return path


def test_decoy_bibliography_section_in_one_column_counts_as_main_body(
    tmp_path: Path,
) -> None:
    path = _one_column_paper(tmp_path / "one.pdf", pages=6, decoy_page=2, refs_page=6)

    report = check_pdf(path, sandbox=False, page_limit=4)

    assert (report.main_body_pages, report.references_page) == (5, 6)
    assert [issue.code for issue in report.errors] == ["over_page_limit"]


def test_one_column_bibliography_with_entries_still_ends_the_body(
    tmp_path: Path,
) -> None:
    path = _one_column_paper(tmp_path / "one.pdf", pages=6, decoy_page=0, refs_page=4)

    report = check_pdf(path, sandbox=False, page_limit=4)

    assert (report.main_body_pages, report.references_page) == (3, 4)
    assert report.errors == []


@pytest.mark.parametrize(
    "entries",
    [
        # Numbered (IEEE), author-year (ACL, ICML) and hanging name lists.
        [
            "[1] A. Lovelace, Notes on the analytical engine,",
            "Taylor's Scientific Memoirs, vol. 3, pp. 666-731.",
            "[2] C. Babbage, Passages from the Life of a",
            "Philosopher. London: Longman, 1864.",
        ],
        [
            "Tom B. Brown, Benjamin Mann, Nick Ryder, Melanie",
            "Subbiah, Jared Kaplan, Prafulla Dhariwal, Arvind",
            "Neelakantan, Pranav Shyam, Girish Sastry, Amanda",
            "Askell, and Dario Amodei. 2020. Language models are",
            "few-shot learners. In Advances in Neural Information",
        ],
    ],
)
def test_reference_entries_are_recognised(entries: list[str]) -> None:
    assert looks_like_references(entries)


def test_prose_is_not_taken_for_reference_entries() -> None:
    assert not looks_like_references([line for line in DECOY_PROSE[1:]])

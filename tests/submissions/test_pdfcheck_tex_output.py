"""What pdfLaTeX writes with the ICML template, drawn here the same way: accents
as glyphs of their own (OT1, the template's default encoding), handed back by
PDFium out of order; a dotless i under an acute; line numbers in the margin of a
submission; a hyphen at a line end; the affiliation's superscript marker against
the name; an appendix lettered "A." before the references.

A corpus of 42 papers compiled with the real icml2022.sty found each of these
(the note of this change gives the figures): an accented author named on the
first page passed the check, a name or affiliation broken across two lines of a
numbered submission was never found, and a paper whose lettered appendix came
before the references was refused as too long.
"""

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from submissions.pdfcheck import AuthorIdentity, check_pdf
from submissions.pdfcheck.identity import IdentityMatcher
from submissions.pdfcheck.text import extract_text, find_body_end
from tests.submissions.pdf_factory import build_paper

ZOE = AuthorIdentity(
    "Zoë Müller-Lüdenscheidt", "zoe@tu-irgendwo.de", "Technische Universität Irgendwo"
)
JOSE = AuthorIdentity("José Ramón García-Pérez", "jgarcia@upm.es", "UPM")
RAHUL = AuthorIdentity("Rahul Verma", "rverma@elsewhere.edu", "Institute of Elsewhere")
JANE = AuthorIdentity(
    "Jane Q. Nobody", "jane.nobody@example.org", "Nowhere Institute of Technology"
)

BODY = "We study how workshop papers are reviewed and what makes them clear."


def codes(report) -> tuple[list[str], list[str]]:
    return [i.code for i in report.errors], [i.code for i in report.warnings]


def tex_byline(path: Path, pieces: list[tuple[str, str]]) -> Path:
    """A one-page paper whose byline is drawn piece by piece in the order given:
    ("text", s) continues the line; ("accent", glyph + letter) draws the accent
    glyph raised over the last occurrence of that letter so far, as pdfTeX's
    \\accent does, in the order PDFium reads it back (after the next letters)."""
    canvas = Canvas(str(path), pagesize=letter, invariant=True)
    canvas.setFont("Times-Bold", 14)
    canvas.drawCentredString(306, 700, "Learning to Reset without Interventions")
    canvas.setFont("Times-Roman", 10)
    x, drawn = 230.0, ""
    positions: list[float] = []
    for kind, value in pieces:
        if kind == "text":
            for char in value:
                positions.append(x)
                canvas.drawString(x, 676, char)
                x += canvas.stringWidth(char, "Times-Roman", 10)
                drawn += char
        else:
            glyph, letter_under = value
            under = positions[drawn.rindex(letter_under)]
            canvas.drawString(under + 0.3, 679, glyph)
    canvas.setFont("Times-Bold", 12)
    canvas.drawCentredString(174, 640, "Abstract")
    canvas.setFont("Times-Roman", 10)
    for row in range(30):
        canvas.drawString(54, 620 - 12 * row, BODY[:50])
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture
def umlauts(tmp_path: Path) -> Path:
    # pdfTeX's order: "Zoe M", the diaeresis of the e, "uller-L", the one of
    # Müller's u, "udenscheidt", the one of Lüdenscheidt's u.
    return tex_byline(
        tmp_path / "zoe.pdf",
        [
            ("text", "Zoe M"),
            ("accent", "\u00a8e"),
            ("text", "uller-L"),
            ("accent", "\u00a8u"),
            ("text", "udenscheidt"),
            ("accent", "\u00a8u"),
        ],
    )


def test_an_accented_name_drawn_as_tex_does_is_one_line(umlauts: Path) -> None:
    page = extract_text(umlauts, max_pages=1)[0]

    assert "Zoe Muller-Ludenscheidt" in page.text.splitlines()


def test_an_accented_author_in_the_byline_is_refused(umlauts: Path) -> None:
    report = check_pdf(umlauts, authors=[ZOE], page_limit=4, sandbox=False)

    errors, _ = codes(report)
    assert "author_identity" in errors
    assert "Zoë Müller-Lüdenscheidt" in report.errors[0].message or (
        "Zoe Muller-Ludenscheidt" in report.errors[0].message
    )


def test_a_camera_ready_with_an_accented_author_names_them(umlauts: Path) -> None:
    report = check_pdf(
        umlauts, authors=[ZOE], page_limit=4, mode="camera_ready", sandbox=False
    )

    assert "no_author_name" not in codes(report)[1]


def test_a_dotless_i_under_an_acute_is_an_i() -> None:
    """\\'{\\i} in OT1 is a dotless i (U+0131) and an acute: PDFium reads
    "Garc\u0131a" once the acute is left out. (reportlab's standard fonts have
    no dotless i to draw it with; the corpus of the change's note had it.)"""
    matcher = IdentityMatcher([JOSE])

    found = matcher.names_in("Learning to Reset\nJose Ramon Garc\u0131a-Perez1\n")

    assert [f.value for f in found] == ["José Ramón García-Pérez"]


@pytest.mark.parametrize(
    ("page", "lines", "found"),
    [
        (
            2,
            ["We thank our colleague Rahul", "Verma for the experiments."],
            "Rahul Verma",
        ),
        (
            3,
            ["Experiments ran at the Institute of", "Elsewhere on eight GPUs."],
            "Institute of Elsewhere",
        ),
    ],
)
def test_line_numbers_do_not_hide_a_name_broken_across_two_lines(
    tmp_path: Path, page: int, lines: list[str], found: str
) -> None:
    path = build_paper(tmp_path / "p.pdf", line_numbers=True, extra_text={page: lines})

    report = check_pdf(path, authors=[RAHUL], page_limit=4, sandbox=False)

    warning = next(i for i in report.warnings if i.code == "identity_in_text")
    assert f"'{found}' on page {page}" in warning.message


def test_a_word_hyphenated_at_a_line_end_is_joined(tmp_path: Path) -> None:
    """PDFium reads a hyphen at a line end as U+FFFE; it was dropped, and
    "Nowhere Insti" / "tute of Technology" never matched."""
    lines = ["Experiments ran at the Nowhere Insti-", "tute of Technology in 2021."]
    path = build_paper(tmp_path / "p.pdf", extra_text={2: lines})

    page = extract_text(path, max_pages=2)[1]
    report = check_pdf(path, authors=[JANE], page_limit=4, sandbox=False)

    assert "Experiments ran at the Nowhere Insti-" in page.text.splitlines()
    warning = next(i for i in report.warnings if i.code == "identity_in_text")
    assert "'Nowhere Institute of Technology' on page 2" in warning.message


@pytest.mark.parametrize(
    "text",
    [
        "1Nowhere Institute of Technology, Nowhere, USA.",
        "Jane Q. Nobody1 2",
        "Correspondence to: Jane Q. Nobody*.",
    ],
)
def test_a_superscript_marker_against_a_name_or_affiliation(text: str) -> None:
    matcher = IdentityMatcher([JANE])

    assert matcher.names_in(text) or matcher.affiliations_in(text)


@pytest.mark.parametrize(
    "text", ["Jane Q. Nobodyx et al.", "Nowhere Institute of Technologyless"]
)
def test_a_longer_word_is_still_no_match(text: str) -> None:
    matcher = IdentityMatcher([JANE])

    assert not matcher.names_in(text)
    assert not matcher.affiliations_in(text)


SECTIONS = {1: ["#1. Introduction"], 2: ["#2. Method"], 3: ["#3. Results"]}


def test_a_lettered_appendix_before_the_references_ends_the_main_body(
    tmp_path: Path,
) -> None:
    """ICML's \\appendix then \\section: "A. Additional Proofs" on page 5, the
    references on page 6. The main body is 4 pages."""
    path = build_paper(
        tmp_path / "p.pdf",
        pages=6,
        references_page=6,
        appendix_page=5,
        appendix_heading="A. Additional Proofs",
        extra_text=SECTIONS,
    )

    end = find_body_end(extract_text(path, max_pages=6))
    report = check_pdf(path, page_limit=4, sandbox=False)

    assert end is not None
    assert (end.page, end.word, end.body_pages) == (5, "appendix", 4)
    assert report.main_body_pages == 4
    assert "over_page_limit" not in codes(report)[0]


@pytest.mark.parametrize(
    ("heading", "sections"),
    [
        ("A. Simple Baseline", {}),  # no numbered sections before it
        ("A Simple Baseline", {1: ["#1. Introduction"]}),  # one section before
    ],
)
def test_a_heading_that_is_no_lettered_appendix_leaves_the_body_alone(
    tmp_path: Path, heading: str, sections: dict
) -> None:
    path = build_paper(
        tmp_path / "p.pdf",
        pages=6,
        references_page=6,
        appendix_page=4,
        appendix_heading=heading,
        extra_text=sections,
    )

    end = find_body_end(extract_text(path, max_pages=6))

    assert end is not None
    assert (end.page, end.word, end.body_pages) == (6, "references", 5)


# --- Other templates: IEEEtran, NeurIPS, LNCS --------------------------------------
Item = tuple[float, float, str, str, float]  # x, y, text, font, size


def draw(path: Path, pages: list[list[Item]]) -> Path:
    canvas = Canvas(str(path), pagesize=letter, invariant=True)
    for items in pages:
        for x, y, text, font, size in items:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return path


def column(x: float, top: float, count: int, *, start: int = 0) -> list[Item]:
    """Body text, 10 pt Times, `count` lines down from `top`."""
    return [
        (x, top - 12 * i, f"{BODY[:46]} {start + i}", "Times-Roman", 10.0)
        for i in range(count)
    ]


def entries(x: float, top: float, count: int) -> list[Item]:
    return [
        (x, top - 10 * i, f"[{i + 1}] A. Lovelace, Notes on the engine, 1843.",
         "Times-Roman", 8.0)
        for i in range(count)
    ]  # fmt: skip


def test_ieees_small_capital_references_end_the_body(tmp_path: Path) -> None:
    """IEEEtran sets "REFERENCES" in small capitals, measured at 8 pt against a
    10 pt body: every IEEE paper was counted whole and a 3-page one refused."""
    body = [column(54, 720, 55) + column(318, 720, 55) for _ in range(2)]
    third = column(54, 720, 55) + column(318, 720, 20)
    third += [(400, 460, "REFERENCES", "Times-Roman", 8.0)]
    third += entries(318, 440, 30)
    path = draw(tmp_path / "ieee.pdf", [*body, third, [*entries(54, 720, 60)]])

    report = check_pdf(path, page_limit=4, sandbox=False)
    end = find_body_end(extract_text(path, max_pages=4))

    assert end is not None
    assert (end.page, end.word, end.body_pages) == (3, "references", 3)
    assert report.main_body_pages == 3


def neurips(
    path: Path,
    *,
    appendix: str,
    size: float,
    numbers: bool,
    caps: bool = False,
    appendix_font: str | None = None,
    section_points: float = 12.0,
) -> Path:
    """One column; sections "1 Introduction" ... at 12 pt bold, the appendix on
    page 5 before the references on page 6; optionally the submission's line
    numbers, 6 pt, 10 pt left of the text (taken into the line by extraction)."""
    pages = []
    for number in range(1, 7):
        items: list[Item] = []
        if number <= 4:
            title = ("Introduction", "Related Work", "Method", "Results")[number - 1]
            heading = f"{number} {title.upper() if caps else title}"
            font, points = (
                ("Times-Roman", 9.6) if caps else ("Times-Bold", section_points)
            )
            items += [(108, 700, heading, font, points)]
            items += column(108, 680, 50)
        elif number == 5:
            font = appendix_font or ("Times-Roman" if caps else "Times-Bold")
            items += [(108, 700, appendix, font, size)]
            items += column(108, 680, 50)
        else:
            items += [(108, 700, "References", "Times-Bold", 12.0)]
            items += entries(108, 680, 60)
        if numbers:  # drawn just before their line, as lineno does
            items += [
                (96, 700 - 12 * i, f"{number * 60 + i}", "Helvetica", 6.0)
                for i in range(55)
            ]
            items.sort(key=lambda item: (-item[1], item[0]))
        pages.append(items)
    return draw(path, pages)


@pytest.mark.parametrize("numbers", [False, True])
def test_a_neurips_lettered_appendix_without_period_ends_the_body(
    tmp_path: Path, numbers: bool
) -> None:
    path = neurips(tmp_path / "n.pdf", appendix="A Proofs", size=12.0, numbers=numbers)

    end = find_body_end(extract_text(path, max_pages=6))

    assert end is not None
    assert (end.page, end.word, end.body_pages) == (5, "appendix", 4)


def test_iclrs_small_capital_appendix_ends_the_body(tmp_path: Path) -> None:
    """ICLR sets its headings in small capitals, neither bold nor larger:
    "2 RELATED WORK" ... then "A PROOFS"."""
    path = neurips(
        tmp_path / "i.pdf", appendix="A PROOFS", size=9.6, numbers=False, caps=True
    )

    end = find_body_end(extract_text(path, max_pages=6))

    assert end is not None
    assert (end.page, end.word, end.body_pages) == (5, "appendix", 4)


def test_a_line_in_capitals_is_no_appendix_where_sections_are_bold(
    tmp_path: Path,
) -> None:
    """Capitals stand for a heading only where the sections are set so: in a
    paper of bold headings at the body's size, a plain "A NOTE ON DATA" is
    body text."""
    path = neurips(
        tmp_path / "n.pdf",
        appendix="A NOTE ON DATA",
        size=10.0,
        numbers=False,
        appendix_font="Times-Roman",
        section_points=10.0,
    )

    end = find_body_end(extract_text(path, max_pages=6))

    assert end is not None
    assert (end.page, end.word) == (6, "references")


def test_a_bold_body_size_line_is_no_lettered_appendix(tmp_path: Path) -> None:
    """A bold paragraph heading at the body's size ("A Simple Baseline") is
    smaller than the numbered sections: the body goes on."""
    path = neurips(
        tmp_path / "n.pdf", appendix="A Simple Baseline", size=10.0, numbers=False
    )

    end = find_body_end(extract_text(path, max_pages=6))

    assert end is not None
    assert (end.page, end.word, end.body_pages) == (6, "references", 5)


def test_line_numbers_taken_into_a_line_are_split_off(tmp_path: Path) -> None:
    path = neurips(tmp_path / "n.pdf", appendix="A Proofs", size=12.0, numbers=True)

    page = extract_text(path, max_pages=6)[4]

    assert "A Proofs" in page.text.splitlines()
    assert not any(line.startswith("300 ") for line in page.text.splitlines())


def test_a_running_head_on_two_pages_is_no_body_text(tmp_path: Path) -> None:
    """LNCS heads odd pages from page 3 with the title, at 0.87 of the height:
    on a 5-page paper it appears twice, and was taken for body text above the
    References heading at the top of page 5 (5 main-body pages for 4)."""
    head = (134, 690, "Clear Reviews for Small Workshops", "Times-Roman", 9.0)
    pages = []
    for number in range(1, 6):
        items: list[Item] = [head] if number in (3, 5) else []
        if number < 5:
            items += column(134, 660, 45)
        else:
            items += [(134, 660, "References", "Times-Bold", 12.0)]
            items += entries(134, 640, 40)
        pages.append(items)
    path = draw(tmp_path / "lncs.pdf", pages)

    end = find_body_end(extract_text(path, max_pages=5))

    assert end is not None
    assert (end.page, end.body_pages) == (5, 4)


def ieee_first_page(path: Path, *, right_top: list[Item]) -> Path:
    """IEEEtran's first page with a float above the abstract in the left
    column: the right column's text starts beside the float, above the
    abstract's height."""
    items: list[Item] = [
        (120, 715, "Sparse Feedback Propagation for Training", "Times-Roman", 24.0),
        (260, 660, "Anonymous Authors", "Times-Roman", 11.0),
        (60, 560, "[figure]", "Times-Roman", 10.0),
        (49, 500, "Fig. 1. Overview of the method.", "Times-Roman", 8.0),
        (58, 460, "Abstract—We train residual networks with sparse", "Times-Bold", 9.0),
        *column(49, 448, 30),
        *right_top,
        *column(318, 590 - 12 * len(right_top), 40),
    ]
    return draw(path, [items, column(54, 720, 55)])


def test_the_right_column_beside_an_ieee_float_is_no_byline(tmp_path: Path) -> None:
    """A co-author thanked at the top of the right column, beside the float,
    was read as named above the abstract and refused."""
    thanks = [
        (318, 590, "We thank Rahul Verma for the GPU cluster.", "Times-Roman", 10.0)
    ]
    path = ieee_first_page(tmp_path / "ieee.pdf", right_top=thanks)

    report = check_pdf(path, authors=[RAHUL], page_limit=4, sandbox=False)

    assert codes(report)[0] == []
    warning = next(i for i in report.warnings if i.code == "identity_in_text")
    assert "'Rahul Verma' on page 1" in warning.message


def test_author_blocks_side_by_side_stay_the_byline(tmp_path: Path) -> None:
    """NeurIPS sets author blocks side by side above the abstract: short lines
    on the right half are no column of text."""
    left = ("Jane Q. Nobody", "Nowhere Institute")
    right = (RAHUL.name, RAHUL.affiliation)
    blocks: list[Item] = [
        (x, 660 - 12 * row, text, "Times-Roman", 10.0)
        for x, block in ((150, left), (380, right))
        for row, text in enumerate(block)
    ]
    blocks += [(280, 600, "Abstract", "Times-Bold", 12.0), *column(108, 580, 40)]
    path = draw(tmp_path / "neurips.pdf", [blocks])

    report = check_pdf(path, authors=[RAHUL], page_limit=4, sandbox=False)

    assert "author_identity" in codes(report)[0]
    assert "'Rahul Verma'" in report.errors[0].message

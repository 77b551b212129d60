"""A reviewer's own paper: title and abstract read in the sandbox, every bad
file refused with a message (extract_profile_text)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pikepdf
import pytest

from submissions.pdfcheck import ProfileTextError, extract_profile_text
from submissions.pdfcheck.content_size import CONTENT_BUDGET_BYTES
from submissions.pdfcheck.profile_text import ABSTRACT_CHARS
from submissions.pdfcheck.sandbox import WALL_TIMEOUT_SECONDS, _failure_message
from tests.submissions.pdf_bombs import decompression_bomb, run_length_bomb
from tests.submissions.pdf_factory import build_paper, post_process

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "pdfs"
TITLE = "Clear Reviews for Small Workshops"
_SANDBOX_FAILURES = {
    _failure_message(-9, b""),
    _failure_message(1, b"MemoryError"),
    _failure_message(1, b""),
}


def _set_metadata_title(path: Path, title: str | None) -> Path:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if title is None:
            del pdf.docinfo["/Title"]
        else:
            pdf.docinfo["/Title"] = title
        pdf.save(path)
    return path


def test_a_paper_gives_its_title_and_abstract(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf")

    text = extract_profile_text(paper)

    assert text.title == TITLE
    assert text.abstract.startswith("We study how workshop papers are reviewed and")
    assert "Anonymous Institution" not in text.abstract  # the byline is above
    assert len(text.abstract) <= ABSTRACT_CHARS


def test_without_metadata_the_largest_line_of_page_one_is_the_title(
    tmp_path: Path,
) -> None:
    paper = _set_metadata_title(build_paper(tmp_path / "paper.pdf"), None)

    assert extract_profile_text(paper).title == TITLE


def test_a_metadata_title_left_over_from_a_template_is_not_used(
    tmp_path: Path,
) -> None:
    paper = _set_metadata_title(
        build_paper(tmp_path / "paper.pdf"), "Formatting Instructions for ICML 2025"
    )

    assert extract_profile_text(paper).title == TITLE


def test_a_metadata_title_shown_on_page_one_wins(tmp_path: Path) -> None:
    # The page shows the title in capitals; the metadata has it as written.
    paper = build_paper(tmp_path / "paper.pdf", title="CLEAR REVIEWS FOR WORKSHOPS")
    _set_metadata_title(paper, "Clear Reviews for Workshops")

    assert extract_profile_text(paper).title == "Clear Reviews for Workshops"


def test_without_an_abstract_heading_the_first_text_is_used(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf", abstract=False, pages=3)

    text = extract_profile_text(paper, sandbox=False)

    assert text.title == TITLE
    assert text.abstract.startswith("Anonymous Authors Anonymous Institution")
    assert ABSTRACT_CHARS - 100 < len(text.abstract) <= ABSTRACT_CHARS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n....", "it looks like a PNG image"),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n", "The PDF is incomplete"),
        (b"%PDF-1.7\ngarbage\n%%EOF\n", "damaged"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)

    with pytest.raises(ProfileTextError, match=message):
        extract_profile_text(path)


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf")
    post_process(paper, user_password="secret", owner_password="owner")

    with pytest.raises(ProfileTextError, match="protected by a password"):
        extract_profile_text(paper)


def test_an_owner_password_only_does_not_stop_the_reading(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf")
    post_process(paper, owner_password="owner")

    assert extract_profile_text(paper).title == TITLE


def test_a_scan_is_refused(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "scan.pdf", text=False)

    with pytest.raises(ProfileTextError, match="no extractable text"):
        extract_profile_text(paper)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf")

    with pytest.raises(ProfileTextError, match="the maximum is"):
        extract_profile_text(paper, max_bytes=1000)


def test_a_decompression_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = decompression_bomb(tmp_path / "bomb.pdf", size=2 << 30)

    with pytest.raises(ProfileTextError, match="more drawing data"):
        extract_profile_text(bomb)
    assert CONTENT_BUDGET_BYTES < 2 << 30


def test_a_run_length_bomb_costs_no_more_than_the_sandbox_allows(
    tmp_path: Path,
) -> None:
    # 1.5 GB of spaces behind [/FlateDecode /RunLengthDecode], which the
    # content-size count leaves to the sandbox: PDFium bounds what it inflates,
    # so the text before it is read; had it not, the worker would have died at
    # its memory limit and the caller got a ProfileTextError.
    bomb = run_length_bomb(tmp_path / "bomb.pdf")
    started = time.monotonic()

    try:
        outcome = extract_profile_text(bomb).title
    except ProfileTextError as error:
        outcome = error.message

    assert outcome in (TITLE, *_SANDBOX_FAILURES)
    assert time.monotonic() - started < WALL_TIMEOUT_SECONDS
    # The next paper gets a working sandbox.
    assert extract_profile_text(build_paper(tmp_path / "p.pdf")).title == TITLE


# --- The real papers in ../shared/fixtures/pdfs/MANIFEST.tsv ----------------
# MANIFEST.tsv has no title column (yet): the titles its notes quote are here;
# a `title` column, once there, is compared too.
QUOTED_TITLES = {
    "yunkimmy_dd_icml_example_paper.pdf": (
        "Dataset Distillation via Dynamic Difficulty Alignment"
    ),
    "carloderamo_wql_icml2016_example_paper.pdf": (
        "Estimating the Maximum Expected Value through Gaussian Approximation"
    ),
    "tuecicl_semeval2024_camera_ready.pdf": "TueCICL at SemEval-2024 Task 8",
    "zebrajack_wii3d_report_2008.pdf": (
        "Low-cost Optical Tracking System using Wii Remote"
    ),
}
# Files that cannot give a profile paper: unreadable, encrypted, without text.
UNREADABLE = {
    "arcozelo_moaero2019_scan.pdf",
    "bad/blank_2000_pages.pdf",
    "bad/empty_zero_bytes.pdf",
    "bad/encrypted_user_password.pdf",
    "bad/html_error_page.pdf",
    "bad/png_renamed.pdf",
    "bad/truncated_half.pdf",
}


def _manifest_rows() -> list[dict[str, str]]:
    manifest = FIXTURES / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"{FIXTURES} is absent")
@pytest.mark.parametrize("row", _manifest_rows(), ids=lambda row: row["file"])
def test_manifest_paper_gives_its_title_or_a_message(row: dict[str, str]) -> None:
    path = FIXTURES / row["file"]
    if row["file"] in UNREADABLE:
        with pytest.raises(ProfileTextError):
            extract_profile_text(path)
        return

    text = extract_profile_text(path)

    assert text.title
    if expected := (row.get("title") or "").strip():
        assert " ".join(text.title.split()) == " ".join(expected.split())
    if quoted := QUOTED_TITLES.get(row["file"]):
        assert text.title.startswith(quoted)

"""The check and the reviewer copy in one job (check_pdf(reviewer_copy=...)).

An upload needs both; asked together they cost one sandbox round trip. The
copy is written only for a file that passes, and a copy that fails turns the
report into a refusal with nothing left behind.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from submissions.pdfcheck import AuthorIdentity, CheckReport, check_pdf, checks
from tests.submissions.pdf_factory import JANE, build_paper, post_process

JANE_AUTHOR = AuthorIdentity.parse(JANE)


def codes(report: CheckReport) -> tuple[list[str], list[str]]:
    return [i.code for i in report.errors], [i.code for i in report.warnings]


@pytest.mark.parametrize("sandbox", [True, False])
def test_a_passing_file_gets_its_report_and_its_anonymised_copy(
    tmp_path: Path, sandbox: bool
) -> None:
    original = build_paper(tmp_path / "original.pdf", author="Jane Q. Nobody")
    post_process(original, xmp_creators=["Jane Q. Nobody"], comment_author="jnobody")
    copy = tmp_path / "copy.pdf"

    report = check_pdf(
        original, authors=[JANE_AUTHOR], reviewer_copy=copy, sandbox=sandbox
    )

    assert report == check_pdf(original, authors=[JANE_AUTHOR], sandbox=False)
    assert codes(report) == ([], ["metadata_identity"])
    with pikepdf.open(copy) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 4
    assert b"nobody" not in copy.read_bytes().lower()
    # No temporary file of the worker is left next to the copy.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.pdf", "original.pdf"]


@pytest.mark.parametrize("sandbox", [True, False])
def test_a_failing_file_gets_no_copy(tmp_path: Path, sandbox: bool) -> None:
    path = build_paper(tmp_path / "long.pdf", pages=6, references_page=6)

    report = check_pdf(path, reviewer_copy=tmp_path / "copy.pdf", sandbox=sandbox)

    assert codes(report)[0] == ["over_page_limit"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.pdf"]


def test_a_file_that_is_no_pdf_gets_no_copy_and_no_sandbox_job(
    tmp_path: Path,
) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))

    report = check_pdf(path, reviewer_copy=tmp_path / "copy.pdf")

    assert codes(report)[0] == ["not_pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.pdf"]


def test_a_copy_that_fails_is_a_refusal_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No real paper passes the check and then fails its copy (both parse it the
    # same way); the copy's own refusals are tested in test_pdfcheck.py.
    paper = build_paper(tmp_path / "paper.pdf")
    damaged = "The PDF is damaged and cannot be read."
    monkeypatch.setattr(checks, "copy_problem", lambda src, dst: damaged)

    report = check_pdf(paper, reviewer_copy=tmp_path / "copy.pdf", sandbox=False)

    assert codes(report)[0] == ["unreadable"]
    assert report.errors[0].message == (
        "The PDF is damaged and cannot be read. Please export it again."
    )
    assert not (tmp_path / "copy.pdf").exists()

"""`manage.py check_pdf`: JSON or a summary, exit 0 when the paper passes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.submissions.pdf_factory import JANE, JANE_BYLINE, build_paper

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_command(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_pdf", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_passing_paper_prints_json_report_and_exits_0(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf")

    status, out = run_command(str(paper), "--author", JANE, "--json")

    assert status == 0
    assert json.loads(out) == {
        "ok": True,
        "pages": 4,
        "main_body_pages": 3,
        "references_page": 4,
        "page_size": "Letter 612x792pt",
        "errors": [],
        "warnings": [],
    }


def test_named_author_and_long_paper_exit_1_with_both_errors(tmp_path: Path) -> None:
    paper = build_paper(
        tmp_path / "paper.pdf", pages=6, references_page=6, byline=JANE_BYLINE
    )

    status, out = run_command(
        str(paper), "--author", JANE, "--page-limit", "4", "--json"
    )

    assert status == 1
    assert [e["code"] for e in json.loads(out)["errors"]] == [
        "over_page_limit",
        "author_identity",
    ]


def test_page_limit_option_changes_the_verdict(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf", pages=6, references_page=6)

    assert run_command(str(paper), "--page-limit", "5", "--json")[0] == 0
    assert run_command(str(paper), "--page-limit", "4", "--json")[0] == 1


def test_camera_ready_accepts_the_author_names(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf", byline=JANE_BYLINE)

    status, out = run_command(str(paper), "--author", JANE, "--camera-ready", "--json")

    assert (status, json.loads(out)["errors"]) == (0, [])


def test_summary_lists_each_issue_with_its_code(tmp_path: Path) -> None:
    paper = build_paper(tmp_path / "paper.pdf", byline=JANE_BYLINE)

    status, out = run_command(str(paper), "--author", JANE)

    assert status == 1
    assert "paper.pdf does not pass." in out
    assert "error   author_identity: The first page names an author" in out


def test_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("check_pdf", str(tmp_path / "missing.pdf"))


@pytest.mark.parametrize(("byline", "expected_status"), [((), 0), (JANE_BYLINE, 1)])
def test_manage_py_exit_status_and_json_on_stdout(
    tmp_path: Path, byline: tuple[str, ...], expected_status: int
) -> None:
    paper = build_paper(tmp_path / "paper.pdf", byline=byline or ("Anonymous",))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "haet.settings"}

    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check_pdf",
            str(paper),
            "--author",
            JANE,
            "--json",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == expected_status, completed.stderr
    assert json.loads(completed.stdout)["ok"] is (expected_status == 0)

"""The PDF check and the reviewer copy (submissions.pdfcheck).

No database: the library does not know Django. Most tests build their own
papers with reportlab (pdf_factory) and run in-process (sandbox=False) for
speed; the sandbox has tests of its own, and the manifest of real papers in
../shared runs through it as production does.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4

from submissions.pdfcheck import (
    AuthorIdentity,
    CheckReport,
    ReviewerCopyError,
    check_pdf,
    make_reviewer_copy,
)
from submissions.pdfcheck import sandbox as pdf_sandbox
from submissions.pdfcheck.text import extract_text
from tests.submissions.pdf_factory import JANE, JANE_BYLINE, build_paper, post_process

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT.parent / "shared" / "fixtures" / "pdfs"
JANE_AUTHOR = AuthorIdentity.parse(JANE)


def codes(report: CheckReport) -> tuple[list[str], list[str]]:
    return [i.code for i in report.errors], [i.code for i in report.warnings]


def check(path: Path, **options: object) -> CheckReport:
    options.setdefault("authors", [JANE_AUTHOR])
    return check_pdf(path, sandbox=False, **options)  # type: ignore[arg-type]


@functools.cache
def _small_paper() -> bytes:
    """A 2-page paper, built once (hypothesis examples cannot use fixtures)."""
    with tempfile.TemporaryDirectory() as folder:
        path = build_paper(Path(folder) / "small.pdf", pages=2, references_page=2)
        return path.read_bytes()


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    """An anonymous 4-page paper whose references start at the top of page 4."""
    return build_paper(tmp_path / "paper.pdf")


# --- The real papers in ../shared/fixtures/pdfs/MANIFEST.tsv ----------------


def _manifest_rows() -> list[dict[str, str]]:
    manifest = FIXTURES / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _split(value: str, separator: str = ",") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


@pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"{FIXTURES} is absent (third-party papers are never copied into the "
    "repository; CI always has ../shared)",
)
@pytest.mark.parametrize("row", _manifest_rows(), ids=lambda row: row["file"])
def test_manifest_paper_gets_expected_verdict(row: dict[str, str]) -> None:
    authors = [AuthorIdentity.parse(a) for a in _split(row["authors"], ";")]

    report = check_pdf(FIXTURES / row["file"], authors=authors, page_limit=4)

    errors, warnings = codes(report)
    if row["expected_ok"]:
        assert report.ok == (row["expected_ok"] == "true"), report
    if row["expected_main_body_pages"]:
        allowed = {
            None if v == "null" else int(v)
            for v in row["expected_main_body_pages"].split("|")
        }
        assert report.main_body_pages in allowed
    assert set(_split(row["must_have_errors"])) <= set(errors)
    assert not set(_split(row["must_not_have_errors"])) & set(errors)
    if one_of := _split(row["must_flag_one_of"]):
        assert set(one_of) & set(errors + warnings)


def test_manifest_is_present_in_ci() -> None:
    if os.environ.get("CI"):
        assert _manifest_rows(), f"CI must provide {FIXTURES}/MANIFEST.tsv"


# --- AuthorIdentity --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jane Q. Nobody <jane@x.org> (Nowhere Institute)",
            AuthorIdentity("Jane Q. Nobody", "jane@x.org", "Nowhere Institute"),
        ),
        (
            "Daniel Stuhlinger (University of Tübingen)",
            AuthorIdentity("Daniel Stuhlinger", "", "University of Tübingen"),
        ),
        ("Wei Zhang <wei@cs.ucsb.edu>", AuthorIdentity("Wei Zhang", "wei@cs.ucsb.edu")),
        ("Ada Lovelace", AuthorIdentity("Ada Lovelace")),
        ("  Ada Lovelace ada@x.org ", AuthorIdentity("Ada Lovelace", "ada@x.org")),
        (
            "A B (Lab (Main Campus)) <a@b.cd>",
            AuthorIdentity("A B", "a@b.cd", "Lab (Main Campus)"),
        ),
    ],
)
def test_author_identity_parse_reads_name_email_affiliation(
    text: str, expected: AuthorIdentity
) -> None:
    assert AuthorIdentity.parse(text) == expected


_WORD = st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=8)


@given(
    name=st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    email=st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.org", fullmatch=True),
    affiliation=st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
)
def test_author_identity_parse_round_trips(
    name: str, email: str, affiliation: str
) -> None:
    parsed = AuthorIdentity.parse(f"{name} <{email}> ({affiliation})")

    assert parsed == AuthorIdentity(name, email, affiliation)


# --- The report ------------------------------------------------------------


def test_report_to_dict_has_exactly_the_documented_keys(paper: Path) -> None:
    data = check(build_paper(paper, pages=6, references_page=6)).to_dict()

    assert list(data) == [
        "ok",
        "pages",
        "main_body_pages",
        "references_page",
        "page_size",
        "errors",
        "warnings",
    ]
    assert data["errors"] == [
        {"code": "over_page_limit", "message": data["errors"][0]["message"]}
    ]
    assert json.loads(json.dumps(data)) == data


def test_clean_paper_passes(paper: Path) -> None:
    report = check(paper)

    assert (
        report.ok,
        report.pages,
        report.main_body_pages,
        report.references_page,
    ) == (
        True,
        4,
        3,
        4,
    )
    assert report.page_size == "Letter 612x792pt"
    assert codes(report) == ([], [])


def test_unknown_mode_is_a_programming_error(paper: Path) -> None:
    with pytest.raises(ValueError, match="mode"):
        check(paper, mode="final")


# --- Blocking errors --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "HTML"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
        (b"PK\x03\x04" + b"\x00" * 64, "docx"),
        (b"", "empty"),
        (b"Dear chair, here is my paper.", "not a PDF"),
    ],
)
def test_not_pdf_is_reported_with_what_the_file_looks_like(
    tmp_path: Path, content: bytes, hint: str
) -> None:
    path = tmp_path / "upload.pdf"
    path.write_bytes(content)

    report = check(path)

    assert codes(report) == (["not_pdf"], [])
    assert hint in report.errors[0].message


def test_not_pdf_when_header_is_followed_by_no_pdf_objects(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is just text pretending\n%%EOF\n")

    assert codes(check(path)) == (["not_pdf"], [])


def test_leading_whitespace_before_header_is_tolerated(paper: Path) -> None:
    paper.write_bytes(b"\r\n  " + paper.read_bytes())

    assert check(paper).ok


def test_truncated_file_is_unreadable(paper: Path) -> None:
    data = paper.read_bytes()
    paper.write_bytes(data[: len(data) // 2])

    report = check(paper)

    assert codes(report) == (["unreadable"], [])
    assert "incomplete" in report.errors[0].message


def test_damaged_structure_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R\n%%EOF\n")

    assert codes(check(path)) == (["unreadable"], [])


def test_malformed_page_box_is_unreadable_not_an_exception(paper: Path) -> None:
    with pikepdf.open(paper, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.MediaBox = pikepdf.Array([pikepdf.Name.A, 0, 612, 792])
        pdf.pages[0].obj.Rotate = pikepdf.Name.Sideways
        pdf.save(paper)

    assert codes(check(paper)) == (["unreadable"], [])


def test_child_that_runs_out_of_time_is_unreadable_not_an_exception(
    paper: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_sandbox, "WALL_TIMEOUT_SECONDS", 0.001)

    report = check_pdf(paper, authors=[JANE_AUTHOR])

    assert codes(report) == (["unreadable"], [])
    assert "longer than" in report.errors[0].message


def test_user_password_is_encrypted(paper: Path) -> None:
    post_process(paper, user_password="submission")

    report = check(paper)

    assert codes(report) == (["encrypted"], [])
    assert report.pages is None


def test_owner_password_only_is_accepted(paper: Path) -> None:
    post_process(paper, owner_password="owner-secret")

    report = check(paper)

    assert (report.ok, report.main_body_pages) == (True, 3)


def test_too_large_is_decided_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    path.write_bytes(b"not even a pdf " * 1000)  # a parser would call it not_pdf

    report = check(path, max_bytes=10_000)

    assert codes(report) == (["too_large"], [])
    assert "MB" in report.errors[0].message


def test_too_many_pages_is_counted_before_text_extraction(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    with pikepdf.new() as pdf:
        for _ in range(60):
            pdf.add_blank_page(page_size=(612, 792))
        pdf.save(path)

    report = check(path, max_pages=50)

    assert codes(report) == (["too_many_pages"], [])
    # No text was extracted: a text pass would also have found no_text.
    assert (report.pages, report.main_body_pages) == (60, None)


def test_over_page_limit_names_the_counts_and_where_references_start(
    tmp_path: Path,
) -> None:
    path = build_paper(tmp_path / "long.pdf", pages=7, references_page=6)

    report = check(path, page_limit=4)

    assert codes(report) == (["over_page_limit"], [])
    assert report.errors[0].message == (
        "The main body has 5 pages; the limit is 4 (references and appendix do not "
        "count). The references start on page 6."
    )


def test_page_limit_none_disables_the_length_check(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "long.pdf", pages=9, references_page=9)

    assert check(path, page_limit=None).ok


@pytest.mark.parametrize(
    ("layout", "main_body_pages"),
    [
        ({"references_column": "left"}, 4),  # heading opens page 5
        ({"references_column": "right"}, 5),  # left column of page 5 is body
        ({"references_column": "left", "body_lines_before_references": 10}, 5),
        ({"references_column": "right", "line_numbers": True}, 5),
        ({"references_column": "left", "line_numbers": True}, 4),
        ({"references_heading": "7 REFERENCES"}, 4),
        ({"references_heading": "Bibliography"}, 4),
        ({"references_heading": "Appendix A: Proofs"}, 4),
        ({"references_heading": "R EFERENCES"}, 4),  # small caps as extracted
    ],
)
def test_main_body_ends_at_the_references_heading(
    tmp_path: Path, layout: dict[str, object], main_body_pages: int
) -> None:
    path = build_paper(tmp_path / "p.pdf", pages=6, references_page=5, **layout)

    report = check(path, page_limit=None)

    assert (report.main_body_pages, report.references_page) == (main_body_pages, 5)


def test_body_sentence_ending_in_references_is_not_a_heading(tmp_path: Path) -> None:
    path = build_paper(
        tmp_path / "p.pdf",
        pages=5,
        references_page=5,
        extra_text={2: ["see the list of", "references."]},
    )

    assert check(path, page_limit=None).main_body_pages == 4


@pytest.mark.parametrize(
    "lines",
    [
        ["Correspondence to: Jane Q. Nobody", "<jane.nobody@example.org>."],
        ["Questions on the code: JANE . NOBODY", "@ EXAMPLE . ORG (small caps)."],
    ],
)
def test_an_author_email_below_the_byline_is_refused(
    tmp_path: Path, lines: list[str]
) -> None:
    """A name may be a self-citation; an author's address never is: the
    template's correspondence footnote left filled in, a contact line."""
    path = build_paper(tmp_path / "p.pdf", extra_text={2: lines})

    report = check(path)

    assert codes(report)[0] == ["author_identity"]
    assert "'jane.nobody@example.org' on page 2" in report.errors[0].message


def test_an_email_with_a_named_byline_is_listed_with_the_rest(tmp_path: Path) -> None:
    path = build_paper(
        tmp_path / "p.pdf",
        byline=JANE_BYLINE,
        extra_text={3: ["Contact jane.nobody@example.org."]},
    )

    report = check(path)

    assert codes(report)[0] == ["author_identity"]  # one refusal, the byline's
    [warning] = [w for w in report.warnings if w.code == "identity_in_text"]
    assert "'jane.nobody@example.org' on page 3" in warning.message


def test_author_name_in_byline_is_author_identity(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "p.pdf", byline=JANE_BYLINE)

    report = check(path)

    assert "author_identity" in codes(report)[0]
    assert "Jane Q. Nobody" in report.errors[0].message


@pytest.mark.parametrize(
    ("author", "byline"),
    [
        # Small-caps emails extract with spaces around "." and "@".
        (
            "Carlo D'Eramo <carlo.deramo@polimi.it>",
            ("Anonymous", "CARLO . DERAMO @ POLIMI . IT"),
        ),
        # Grouped addresses of several authors.
        ("Yi Gong <ygong@cs.ucsb.edu>", ("Anonymous", "{wei, ygong}@cs.ucsb.edu")),
        ("Yi Gong <ygong@cs.ucsb.edu>", ("Anonymous", "wei, ygong@cs.ucsb.edu")),
        # A subdomain of the listed address.
        ("A Nuara <alessandro.nuara@polimi.it>", ("alessandro.nuara@mail.polimi.it",)),
        # Typographic apostrophe, accents and letter case.
        ("Carlo D'Eramo", ("CARLO D\u2019ERAMO",)),
        ("Jose Muller", ("Jos\u00e9 M\u00fcller",)),
        ("Ana Maria Lopez", ("Ana M. Lopez",)),
        ("Ana Lopez", ("Lopez, Ana",)),
        # A possessive, with either apostrophe: the quote is dropped, the s stays.
        ("Grace Hopper", ("As in Grace Hopper's compiler",)),
        ("Grace Hopper", ("As in Grace Hopper\u2019s compiler",)),
        ("Charles Bess", ("Charles Bess's method",)),
    ],
)
def test_author_identity_matching_is_robust(
    tmp_path: Path, author: str, byline: tuple[str, ...]
) -> None:
    path = build_paper(tmp_path / "p.pdf", byline=byline)

    report = check(path, authors=[AuthorIdentity.parse(author)])

    assert "author_identity" in codes(report)[0]


@pytest.mark.parametrize(
    "byline",
    [
        ("Anonymous Authors", "Anonymous Institution", "anon.email@domain.com"),
        ("Jane and her colleague Nobody",),  # both words, but not the name
        ("J. Nobody",),  # initials are not a full name
        ("Janet Nobodyish",),
        ("Jane Nobodyes",),  # one letter more is a possessive; two are a word
    ],
)
def test_placeholders_and_partial_names_are_not_author_identity(
    tmp_path: Path, byline: tuple[str, ...]
) -> None:
    path = build_paper(tmp_path / "p.pdf", byline=byline)

    assert codes(check(path)) == ([], [])


def test_scan_without_text_is_no_text(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "scan.pdf", text=False)

    report = check(path)

    assert codes(report) == (["no_text"], [])
    assert report.main_body_pages == 4


# --- Warnings ----------------------------------------------------------------


def test_self_citation_by_name_is_identity_in_text(tmp_path: Path) -> None:
    path = build_paper(
        tmp_path / "p.pdf",
        extra_text={2: ["As shown by Jane Q. Nobody in", "earlier work, this holds."]},
    )

    report = check(path)

    assert codes(report) == ([], ["identity_in_text"])
    assert "'Jane Q. Nobody' on page 2" in report.warnings[0].message


def test_affiliation_in_acknowledgements_is_identity_in_text(tmp_path: Path) -> None:
    path = build_paper(
        tmp_path / "p.pdf",
        extra_text={
            3: ["We thank the Nowhere Institute", "of Technology for support."]
        },
    )

    assert codes(check(path)) == ([], ["identity_in_text"])


@pytest.mark.parametrize(
    "metadata",
    [
        {"author": "Jane Q. Nobody"},
        {"author": "Someone Else Entirely"},  # any non-placeholder author
        {"creator": "Jane Nobody"},
    ],
)
def test_document_info_naming_a_person_is_metadata_identity(
    tmp_path: Path, metadata: dict[str, str]
) -> None:
    path = build_paper(tmp_path / "p.pdf", **metadata)

    assert codes(check(path)) == ([], ["metadata_identity"])


@pytest.mark.parametrize(
    "extras",
    [{"xmp_creators": ["Jane Q. Nobody"]}, {"comment_author": "jnobody"}],
)
def test_xmp_creator_or_comment_author_is_metadata_identity(
    tmp_path: Path, extras: dict[str, object]
) -> None:
    path = post_process(build_paper(tmp_path / "p.pdf"), **extras)  # type: ignore[arg-type]

    assert codes(check(path)) == ([], ["metadata_identity"])


@pytest.mark.parametrize(
    "author", ["Anonymous Authors", "Anonymous Author(s)", "Anonymous Submission", ""]
)
def test_placeholder_metadata_author_is_fine(tmp_path: Path, author: str) -> None:
    path = build_paper(tmp_path / "p.pdf", author=author, creator="LaTeX with hyperref")

    assert codes(check(path)) == ([], [])


def test_missing_references_heading_counts_every_page(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "p.pdf", pages=5, references_page=None)

    report = check(path)

    assert codes(report) == (["over_page_limit"], ["references_not_found"])
    assert (report.main_body_pages, report.references_page) == (5, None)


def test_missing_references_heading_uses_declared_length(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "p.pdf", pages=5, references_page=None)

    report = check(path, declared_main_body_pages=4)

    assert codes(report) == ([], ["references_not_found"])
    assert report.main_body_pages == 4
    assert "you declared (4 pages)" in report.warnings[0].message


def test_a_declared_length_of_one_page_is_one_page(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "p.pdf", pages=2, references_page=None)

    report = check(path, declared_main_body_pages=1)

    assert "you declared (1 page)" in report.warnings[0].message


def test_a4_pages_are_a_page_size_warning(tmp_path: Path) -> None:
    path = build_paper(tmp_path / "p.pdf", page_size=A4)

    report = check(path)

    assert codes(report) == ([], ["page_size"])
    assert report.page_size == "A4 595.3x841.9pt"


def test_javascript_is_a_warning_not_an_error(paper: Path) -> None:
    post_process(paper, javascript=True)

    assert codes(check(paper)) == ([], ["javascript"])


# --- Camera-ready ------------------------------------------------------------


def test_camera_ready_with_names_has_no_identity_issues(tmp_path: Path) -> None:
    path = build_paper(
        tmp_path / "p.pdf",
        byline=JANE_BYLINE,
        author="Jane Q. Nobody",
        extra_text={2: ["As shown by Jane Q. Nobody."]},
    )

    assert codes(check(path, mode="camera_ready")) == ([], [])


def test_camera_ready_without_names_is_no_author_name(paper: Path) -> None:
    assert codes(check(paper, mode="camera_ready")) == ([], ["no_author_name"])


# --- The sandbox --------------------------------------------------------------


def test_sandboxed_check_equals_in_process_check(tmp_path: Path) -> None:
    path = build_paper(
        tmp_path / "p.pdf", pages=6, references_page=6, byline=JANE_BYLINE
    )

    sandboxed = check_pdf(path, authors=[JANE_AUTHOR])

    assert sandboxed == check(path)
    assert codes(sandboxed)[0] == ["over_page_limit", "author_identity"]


def _child_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return completed.stdout


def test_child_limits_memory_and_cpu() -> None:
    out = _child_python(
        "import resource\n"
        "from submissions.pdfcheck.sandbox import limit_resources\n"
        "limit_resources()\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0],"
        " resource.getrlimit(resource.RLIMIT_CPU)[0])"
    )

    assert out.split() == [
        str(pdf_sandbox.MEMORY_LIMIT_BYTES),
        str(pdf_sandbox.CPU_LIMIT_SECONDS),
    ]


def test_child_never_imports_django(paper: Path) -> None:
    out = _child_python(
        "import sys\n"
        "from submissions.pdfcheck.__main__ import main\n"
        f"main(['check', {str(paper)!r}, '{{\"authors\": []}}'])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'django']\n"
        "print(); print(loaded)"
    )

    answer, loaded = out.splitlines()
    assert json.loads(answer)["ok"] is True
    assert loaded == "[]"


# --- The reviewer copy ---------------------------------------------------------


def _identifying(data: bytes) -> list[bytes]:
    lowered = data.lower()
    return [word for word in (b"nobody", b"jnobody", b"secret-data") if word in lowered]


def _expanded(path: Path, tmp_path: Path) -> bytes:
    """The file with every stream decompressed and no object streams."""
    expanded = tmp_path / "expanded.pdf"
    with pikepdf.open(path) as pdf:
        pdf.save(
            expanded, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable
        )
    return expanded.read_bytes()


@pytest.mark.parametrize("sandbox", [True, False])
def test_reviewer_copy_has_no_trace_of_the_authors(
    tmp_path: Path, sandbox: bool
) -> None:
    original = build_paper(tmp_path / "original.pdf", author="Jane Q. Nobody")
    post_process(original, xmp_creators=["Jane Q. Nobody"], comment_author="jnobody")
    copy = tmp_path / "copy.pdf"

    make_reviewer_copy(original, copy, sandbox=sandbox)

    assert _identifying(original.read_bytes()) == [b"nobody", b"jnobody"]
    assert _identifying(copy.read_bytes()) == []
    assert _identifying(_expanded(copy, tmp_path)) == []
    with pikepdf.open(copy) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        (annotation,) = pdf.pages[0].Annots
        assert "/T" not in annotation
    with pikepdf.open(original) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Jane Q. Nobody"


def test_reviewer_copy_removes_scripts_attachments_form_values_and_private_data(
    paper: Path, tmp_path: Path
) -> None:
    post_process(
        paper,
        javascript=True,
        attachment=b"secret-data",
        form_value="Jane Q. Nobody",
        piece_info=True,
    )
    copy = tmp_path / "copy.pdf"

    make_reviewer_copy(paper, copy, sandbox=False)

    expanded = _expanded(copy, tmp_path)
    assert _identifying(expanded) == []
    for marker in (
        b"/JavaScript",
        b"/JS",
        b"/OpenAction",
        b"/AA",
        b"/EmbeddedFile",
        b"/PieceInfo",
    ):
        assert marker not in expanded, marker
    with pikepdf.open(copy) as pdf:
        assert len(pdf.attachments) == 0
        # The form goes (field names and tooltips can name people); a filled-in
        # field would have been drawn into the page.
        assert "/AcroForm" not in pdf.Root
        assert pdf.pages[0].get("/Annots", []) == []


def test_reviewer_copy_is_a_full_rewrite_with_a_new_id_and_the_same_text(
    paper: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.pdf"

    make_reviewer_copy(paper, copy, sandbox=False)

    data = copy.read_bytes()
    assert (data.count(b"%%EOF"), data.count(b"startxref")) == (1, 1)
    with pikepdf.open(paper) as before, pikepdf.open(copy) as after:
        assert bytes(after.trailer.ID[0]) != bytes(before.trailer.ID[0])
    texts = [
        [p.text for p in extract_text(str(f), max_pages=50)] for f in (paper, copy)
    ]
    assert texts[0] == texts[1]


def test_reviewer_copy_of_owner_password_file_is_decrypted(
    paper: Path, tmp_path: Path
) -> None:
    post_process(paper, owner_password="owner-secret")
    copy = tmp_path / "copy.pdf"

    make_reviewer_copy(paper, copy)

    with pikepdf.open(copy) as pdf:
        assert not pdf.is_encrypted
    assert check(copy).ok


def test_reviewer_copy_of_user_password_file_raises_and_writes_nothing(
    paper: Path, tmp_path: Path
) -> None:
    post_process(paper, user_password="submission")
    copy = tmp_path / "copy.pdf"

    with pytest.raises(ReviewerCopyError, match="needs a password"):
        make_reviewer_copy(paper, copy)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.pdf"]


@hypothesis_settings(max_examples=25, deadline=None)
@given(body=st.binary(max_size=2000))
def test_arbitrary_bytes_after_a_pdf_header_never_raise(body: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.pdf"
        path.write_bytes(b"%PDF-1.7\n" + body + b"\n%%EOF\n")

        report = check(path)

    assert not report.ok or report.pages


@hypothesis_settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_corrupted_paper_never_raises(data: st.DataObject) -> None:
    content = bytearray(_small_paper())
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corrupt.pdf"
        path.write_bytes(bytes(content))

        report = check(path)

    assert report.ok == (not report.errors)


def test_messages_are_sentences_not_exception_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R\n%%EOF\n")

    (issue,) = check(path).errors

    assert re.fullmatch(r"[A-Z][^\n]*\.", issue.message)
    assert "Error" not in issue.message

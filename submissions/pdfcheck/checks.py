"""The check itself: from a file path to a CheckReport (and a reviewer copy).

`check_pdf` does the cheap checks (precheck.py) in the calling process and hands
the parsing to `analyze`, normally in a sandboxed worker process (see
sandbox.py): PDF parsers are large C and Python code bases fed with files from
strangers. Each concept checked has its module: page_size.py, body_length.py
(the page limit) and anonymity.py; text.py reads the lines they look at.

An upload also needs the anonymised copy reviewers get (sanitize.py). Asked
for with `reviewer_copy=`, it is written in the same sandbox job as the check,
once the file has passed: one round trip and one wait for a free worker per
upload instead of two.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import pikepdf

from . import sandbox
from .anonymity import check_anonymity, check_author_names, check_metadata
from .body_length import check_body_length, check_page_limit
from .content_size import CONTENT_BUDGET_BYTES, content_over_budget
from .identity import IdentityMatcher
from .page_size import check_page_size, page_box, size_label
from .precheck import precheck
from .report import AuthorIdentity, CheckOptions, CheckReport, Issue
from .sanitize import copy_problem, has_javascript
from .text import extract_text, letter_count

logger = logging.getLogger(__name__)

MODES = ("submission", "camera_ready")
# Fewer letters than this in the whole document is a scan (or an empty file).
_MIN_LETTERS = 50


def check_pdf(
    path: str | Path,
    *,
    authors: Sequence[AuthorIdentity] = (),
    page_limit: int | None = 4,
    max_bytes: int = 10 * 1024 * 1024,
    max_pages: int = 50,
    mode: str = "submission",
    declared_main_body_pages: int | None = None,
    reviewer_copy: str | Path | None = None,
    sandbox: bool = True,
) -> CheckReport:
    """Check an uploaded paper; problems in the file never raise, they are reported.

    With `reviewer_copy`, a file that passes (no errors) also gets its
    anonymised copy for reviewers written there, as make_reviewer_copy does.
    When the copy cannot be written the report is an `unreadable` failure saying
    why, and nothing is left at `reviewer_copy`; a file that fails the check
    gets no copy either. Raises ValueError for an unknown mode and OSError when
    the file cannot be read at all (e.g. it does not exist).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    options = CheckOptions(
        authors=tuple(authors),
        page_limit=page_limit,
        max_pages=max_pages,
        mode=mode,
        declared_main_body_pages=declared_main_body_pages,
    )
    if (early := precheck(Path(path), max_bytes=max_bytes)) is not None:
        return early
    if sandbox:
        return _run_sandboxed(Path(path), options, reviewer_copy)
    report = analyze(Path(path), options)
    if reviewer_copy is None or not passes(report):
        return report
    problem = copy_problem(path, reviewer_copy)
    return report if problem is None else _unreadable(problem)


def passes(report: CheckReport) -> bool:
    """The file may be stored: no blocking error (warnings are fine)."""
    return report.ok and not report.errors


def _unreadable(problem: str) -> CheckReport:
    return CheckReport.failed("unreadable", f"{problem} Please export it again.")


def _run_sandboxed(
    path: Path, options: CheckOptions, reviewer_copy: str | Path | None
) -> CheckReport:
    if reviewer_copy is None:
        return _ask(path, options)[0]
    # The caller names the worker's output file, so it can remove it even when
    # the worker is killed halfway through writing.
    destination = Path(reviewer_copy)
    handle, temporary = tempfile.mkstemp(
        prefix=".reviewer-copy-", suffix=".pdf", dir=destination.parent
    )
    os.close(handle)
    try:
        report, problem = _ask(path, options, temporary)
        if problem is not None:
            return _unreadable(problem)
        if passes(report):
            Path(temporary).replace(destination)
        return report
    finally:
        Path(temporary).unlink(missing_ok=True)


def _ask(
    path: Path, options: CheckOptions, *copy_to: str
) -> tuple[CheckReport, str | None]:
    """The worker's report and, when it wrote a copy, why that failed (or None)."""
    try:
        data = sandbox.run("check", str(path), options.to_json(), *copy_to)
    except sandbox.SandboxError as error:
        return _unreadable(error.message), None
    try:
        report = CheckReport.from_dict(data)
    except (KeyError, TypeError):
        return _unreadable("The PDF could not be processed."), None
    if not (copy_to and passes(report)):
        return report, None
    if "reviewer_copy_error" not in data:  # never: the worker always says
        return report, "The PDF could not be processed."
    problem = data["reviewer_copy_error"]
    return report, None if problem is None else str(problem)


def run_job(path: Path, options: CheckOptions, copy_to: str | None) -> dict[str, Any]:
    """What the sandbox worker runs: the check, then the copy to `copy_to` when
    one is asked for and the file passed."""
    report = analyze(path, options)
    answer = report.to_dict()
    if copy_to is not None and passes(report):
        answer["reviewer_copy_error"] = copy_problem(path, copy_to)
    return answer


def analyze(path: Path, options: CheckOptions) -> CheckReport:
    """Parse the file and run every check (this is what the sandbox runs)."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return CheckReport.failed(
            "encrypted",
            "The PDF is protected by a password that is needed to open it. "
            "Please upload it without a password.",
        )
    except (pikepdf.PdfError, RuntimeError):  # qpdf's own, e.g. a wrong page /Count
        if b"obj" not in path.read_bytes():
            return CheckReport.failed(
                "not_pdf", "The file starts like a PDF but contains no PDF objects."
            )
        return CheckReport.failed(
            "unreadable",
            "The PDF is damaged and cannot be read. Please export it again.",
        )
    with pdf:
        try:
            return _analyze_open(pdf, path, options)
        except Exception:
            # Malformed objects (a MediaBox of names, a /Rotate string...) can
            # surface anywhere; the sandbox would turn them into `unreadable`, so
            # in-process mode does the same. Logged: it may also be our bug.
            logger.exception("PDF check failed on %s", path)
            return CheckReport.failed(
                "unreadable",
                "The PDF could not be processed; it may be damaged. "
                "Please export it again.",
            )


def _analyze_open(pdf: pikepdf.Pdf, path: Path, options: CheckOptions) -> CheckReport:
    page_count = len(pdf.pages)
    if page_count == 0:
        return CheckReport.failed("unreadable", "The PDF has no pages.", pages=0)
    # Counted before any text is extracted: a 2000-page file must be cheap.
    if page_count > options.max_pages:
        report = CheckReport.failed(
            "too_many_pages",
            f"The PDF has {page_count} pages; at most {options.max_pages} are "
            "accepted (main body, references and appendix together).",
            pages=page_count,
        )
        report.page_size = size_label(page_box(pdf.pages[0]))
        return report

    report = CheckReport(
        ok=True,
        pages=page_count,
        main_body_pages=None,
        references_page=None,
        page_size="",
    )
    check_page_size(pdf, report)
    matcher = IdentityMatcher(options.authors)
    if options.mode == "submission":
        check_metadata(pdf, matcher, report)
    if has_javascript(pdf):
        report.warnings.append(
            Issue(
                "javascript",
                "The PDF contains JavaScript. It is never run, and it is removed "
                "from the copy that reviewers receive.",
            )
        )

    if content_over_budget(pdf):
        return CheckReport.failed(
            "unreadable",
            "The pages hold more drawing data than can be checked (over "
            f"{CONTENT_BUDGET_BYTES // 2**20} MB once uncompressed); the file may be "
            "damaged, or a figure has millions of points. Please export large "
            "plots as images, or export the PDF again.",
            pages=page_count,
        )
    try:
        pages = extract_text(_text_source(pdf, path), max_pages=options.max_pages)
    except Exception:  # PDFium reports broken content as PdfiumError
        return CheckReport.failed(
            "unreadable",
            "The text of the PDF cannot be read; the file may be damaged. "
            "Please export it again.",
            pages=page_count,
        )
    if letter_count(pages) < _MIN_LETTERS:
        report.errors.append(
            Issue(
                "no_text",
                "The PDF has no extractable text (it looks like a scan or images "
                "of pages), so its length and anonymity cannot be checked. "
                "Please upload a PDF exported from your editor.",
            )
        )
        report.main_body_pages = page_count
        check_page_limit(
            report, options, "Without text every page counts as main body."
        )
    else:
        check_body_length(pages, report, options)
        if options.mode == "submission":
            check_anonymity(pages, matcher, report)
        else:
            check_author_names(pages[0], matcher, report)
    report.ok = not report.errors
    return report


def _text_source(pdf: pikepdf.Pdf, path: Path) -> str | IO[bytes]:
    if not pdf.is_encrypted:
        return str(path)
    # Only an owner password (we got here without one): hand PDFium a
    # decrypted copy rather than relying on its own decryption code.
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=False)
    buffer.seek(0)
    return buffer

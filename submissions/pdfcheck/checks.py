"""The check itself: from a file path to a CheckReport.

`check_pdf` does the cheap checks (size, header, end marker) in the calling
process and hands the parsing to `analyze`, normally in a sandboxed child
process (see sandbox.py): PDF parsers are large C and Python code bases fed with
files from strangers.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import pikepdf

from . import sandbox
from .content_size import CONTENT_BUDGET_BYTES, content_over_budget
from .identity import IdentityMatcher, describe_findings
from .metadata import people_in_metadata
from .report import AuthorIdentity, CheckReport, Issue
from .sanitize import has_javascript
from .text import (
    PageText,
    byline_split,
    extract_text,
    find_body_end,
    letter_count,
)

logger = logging.getLogger(__name__)

MODES = ("submission", "camera_ready")
_HEAD_BYTES = 1024
_TAIL_BYTES = 32 * 1024
# Some servers and editors put a BOM-less newline or spaces before the header.
_MAX_LEADING_WHITESPACE = 16
# Fewer letters than this in the whole document is a scan (or an empty file).
_MIN_LETTERS = 50

_LETTER = (612.0, 792.0)
_KNOWN_SIZES = {
    "Letter": (612.0, 792.0),
    "A4": (595.276, 841.89),
    "Legal": (612.0, 1008.0),
    "A3": (841.89, 1190.551),
    "A5": (419.528, 595.276),
}
_SIZE_TOLERANCE = 1.0

_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive or an Office document (.docx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
)


@dataclass(frozen=True)
class CheckOptions:
    """Everything `analyze` needs besides the file; travels to the child as JSON."""

    authors: tuple[AuthorIdentity, ...] = ()
    page_limit: int | None = 4
    max_pages: int = 50
    mode: str = "submission"
    declared_main_body_pages: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = [asdict(author) for author in self.authors]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckOptions:
        authors = tuple(AuthorIdentity(**author) for author in data.pop("authors"))
        return cls(authors=authors, **data)


def check_pdf(
    path: str | Path,
    *,
    authors: Sequence[AuthorIdentity] = (),
    page_limit: int | None = 4,
    max_bytes: int = 10 * 1024 * 1024,
    max_pages: int = 50,
    mode: str = "submission",
    declared_main_body_pages: int | None = None,
    sandbox: bool = True,
) -> CheckReport:
    """Check an uploaded paper; problems in the file never raise, they are reported.

    Raises ValueError for an unknown mode and OSError when the file cannot be
    read at all (e.g. it does not exist).
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
        return _run_sandboxed(Path(path), options)
    return analyze(Path(path), options)


def _run_sandboxed(path: Path, options: CheckOptions) -> CheckReport:
    try:
        data = sandbox.run("check", str(path), options.to_json())
    except sandbox.SandboxError as error:
        return CheckReport.failed(
            "unreadable", f"{error.message} Please export it again."
        )
    try:
        return CheckReport.from_dict(data)
    except (KeyError, TypeError):
        return CheckReport.failed(
            "unreadable", "The PDF could not be processed. Please export it again."
        )


def precheck(path: Path, *, max_bytes: int) -> CheckReport | None:
    """Size, header and end-of-file checks that need no parser."""
    size = path.stat().st_size
    if size > max_bytes:
        return CheckReport.failed(
            "too_large",
            f"The file is {size / 2**20:.1f} MB; the maximum is "
            f"{max_bytes / 2**20:.0f} MB. Compress large images and try again.",
        )
    if size == 0:
        return CheckReport.failed("not_pdf", "The file is empty.")
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        handle.seek(max(0, size - _TAIL_BYTES))
        tail = handle.read()
    stripped = head.lstrip(b" \t\r\n\f\x00")
    if not stripped.startswith(b"%PDF-") or len(head) - len(stripped) > (
        _MAX_LEADING_WHITESPACE
    ):
        return CheckReport.failed("not_pdf", _not_pdf_message(stripped))
    if b"%%EOF" not in tail:
        return CheckReport.failed(
            "unreadable",
            "The PDF is incomplete: it stops before its end marker, as if the "
            "upload or the export was cut off. Please export it again and re-upload.",
        )
    return None


def _not_pdf_message(head: bytes) -> str:
    kind = next((what for magic, what in _SIGNATURES if head.startswith(magic)), None)
    if kind is None and head[:200].lower().lstrip().startswith(
        (b"<!doctype", b"<html")
    ):
        kind = "an HTML web page (often what a failed download leaves behind)"
    if kind:
        return f"The file is not a PDF: it looks like {kind}. Please upload a PDF."
    return "The file is not a PDF (it does not start with %PDF-). Please upload a PDF."


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
    except pikepdf.PdfError:
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
        report.page_size = _size_label(_page_box(pdf.pages[0]))
        return report

    report = CheckReport(
        ok=True,
        pages=page_count,
        main_body_pages=None,
        references_page=None,
        page_size="",
    )
    _check_page_size(pdf, report)
    matcher = IdentityMatcher(options.authors)
    if options.mode == "submission":
        _check_metadata(pdf, matcher, report)
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
        _check_page_limit(
            report, options, "Without text every page counts as main body."
        )
    else:
        _check_body_length(pages, report, options)
        if options.mode == "submission":
            _check_anonymity(pages, matcher, report)
        else:
            _check_author_names(pages[0], matcher, report)
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


def _page_box(page: pikepdf.Page) -> tuple[float, float]:
    box = [float(v) for v in page.cropbox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if int(page.obj.get("/Rotate", 0)) % 180 == 90:
        width, height = height, width
    return width, height


def _size_label(size: tuple[float, float]) -> str:
    width, height = size

    def number(value: float) -> str:
        return f"{value:.1f}".removesuffix(".0")

    name = next(
        (
            name
            for name, (w, h) in _KNOWN_SIZES.items()
            if sorted((abs(width - w), abs(height - h)))[1] <= _SIZE_TOLERANCE
            or sorted((abs(width - h), abs(height - w)))[1] <= _SIZE_TOLERANCE
        ),
        "",
    )
    return f"{name} {number(width)}x{number(height)}pt".strip()


def _is_letter(size: tuple[float, float]) -> bool:
    return all(
        abs(a - b) <= _SIZE_TOLERANCE
        for a, b in zip(sorted(size), _LETTER, strict=True)
    )


def _check_page_size(pdf: pikepdf.Pdf, report: CheckReport) -> None:
    sizes = [_page_box(page) for page in pdf.pages]
    report.page_size = _size_label(sizes[0])
    odd = [number for number, size in enumerate(sizes, start=1) if not _is_letter(size)]
    if not odd:
        return
    if len(odd) == len(sizes):
        where = f"The pages are {report.page_size}"
    else:
        plural = len(odd) > 1
        where = (
            f"Page{'s' if plural else ''} {_numbers(odd)} "
            f"{'are' if plural else 'is'} not US Letter"
        )
    report.warnings.append(
        Issue(
            "page_size",
            f"{where}; the required size is US Letter (8.5 x 11 in, 612x792pt). "
            "Please set the paper size to US Letter in your template.",
        )
    )


def _pages_phrase(numbers: Sequence[int]) -> str:
    return f"page{'s' if len(numbers) > 1 else ''} {_numbers(numbers)}"


def _numbers(numbers: Sequence[int]) -> str:
    items = [str(n) for n in numbers]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _check_body_length(
    pages: list[PageText], report: CheckReport, options: CheckOptions
) -> None:
    body_end = find_body_end(pages)
    declared = options.declared_main_body_pages
    if body_end is not None:
        report.main_body_pages = body_end.body_pages
        report.references_page = body_end.page
        what = "appendix starts" if body_end.word == "appendix" else "references start"
        basis = f"The {what} on page {body_end.page}."
    elif declared is not None:
        report.main_body_pages = declared
        basis = "This is the length you declared: no references heading was found."
    else:
        report.main_body_pages = len(pages)
        basis = "No references heading was found, so every page was counted."
    if body_end is None:
        used = (
            f"so the main-body length you declared ({declared} pages) is used"
            if declared is not None
            else "so every page counts as main body"
        )
        report.warnings.append(
            Issue(
                "references_not_found",
                "No References, Bibliography or Appendix heading was found, "
                f"{used}. Check that the references start with such a heading.",
            )
        )
    _check_page_limit(report, options, basis)


def _check_page_limit(report: CheckReport, options: CheckOptions, basis: str) -> None:
    limit, body = options.page_limit, report.main_body_pages
    if limit is None or body is None or body <= limit:
        return
    unit = "page" if body == 1 else "pages"
    report.errors.append(
        Issue(
            "over_page_limit",
            f"The main body has {body} {unit}; the limit is {limit} "
            f"(references and appendix do not count). {basis}",
        )
    )


def _check_anonymity(
    pages: list[PageText], matcher: IdentityMatcher, report: CheckReport
) -> None:
    if not matcher.authors:
        return
    byline, rest_of_first_page = byline_split(pages[0])
    in_byline = matcher.names_in(byline) + matcher.emails_in(byline)
    if in_byline:
        report.errors.append(
            Issue(
                "author_identity",
                f"The first page names an author above the abstract "
                f"({describe_findings(in_byline)}). Submissions are reviewed "
                "double-blind: replace names, emails and affiliations with the "
                "anonymous placeholders of the template.",
            )
        )
    elsewhere: dict[str, list[int]] = {}
    texts = [(1, rest_of_first_page)] + [(p.number, p.text) for p in pages[1:]]
    for number, text in texts:
        for finding in matcher.names_in(text) + matcher.emails_in(text):
            elsewhere.setdefault(finding.value, []).append(number)
    for page in pages:
        # Links anywhere, the byline included: a web address is not a name, so
        # it is reported, never blocking.
        findings = matcher.affiliations_in(page.text) + matcher.links_in(page.text)
        for finding in findings:
            elsewhere.setdefault(finding.value, []).append(page.number)
    if elsewhere:
        places = "; ".join(
            f"'{value}' on {_pages_phrase(sorted(set(numbers)))}"
            for value, numbers in elsewhere.items()
        )
        report.warnings.append(
            Issue(
                "identity_in_text",
                f"Author details appear in the text: {places}. Check self-citations "
                "(cite your own work in the third person), acknowledgements and "
                "URLs: they must not reveal who the authors are. Reviewers see "
                "the pages as they are: only what is not on them (metadata, "
                "bookmarks, link targets, hidden layers) is removed.",
            )
        )


def _check_author_names(
    first_page: PageText, matcher: IdentityMatcher, report: CheckReport
) -> None:
    if matcher.authors and not matcher.names_in(first_page.text):
        report.warnings.append(
            Issue(
                "no_author_name",
                "None of the authors' names was found on the first page. The "
                "camera-ready version must show the authors' names and affiliations.",
            )
        )


def _check_metadata(
    pdf: pikepdf.Pdf, matcher: IdentityMatcher, report: CheckReport
) -> None:
    if named := people_in_metadata(pdf, matcher):
        report.warnings.append(
            Issue(
                "metadata_identity",
                "The file's metadata names people: "
                + "; ".join(named)
                + ". It is removed from the copy reviewers receive, but please "
                "clear it (e.g. \\hypersetup{pdfauthor={}} or the document "
                "properties of your editor).",
            )
        )

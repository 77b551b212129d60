"""A reviewer's own paper (PDF): its title and abstract, for their profile.

    text = extract_profile_text(path)  # ProfileText(title=..., abstract=...)

The file comes from a stranger like any upload, so it gets the same treatment
as a submission: precheck.py in the calling process (size, header, end marker),
then the parsing in a sandboxed worker (sandbox.py, command "profile"), with the
content-size budget against decompression bombs. Only the first MAX_PAGES_READ
pages are read, and what comes back is bounded (TITLE_CHARS, ABSTRACT_CHARS).

- Title: the document's metadata title (info dictionary or XMP) when page 1
  shows it too (a title left over from a template does not count), otherwise the
  largest line(s) at the top of page 1.
- Abstract: the text after an "Abstract" heading, up to the introduction or
  ABSTRACT_CHARS characters; without such a heading, the first ABSTRACT_CHARS
  characters after the title.

Author names are not read: on a title page they cannot be told apart reliably
from affiliations, emails and placeholders. A file that cannot be read raises
ProfileTextError with a message for the person who uploaded it.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from . import sandbox as pdf_sandbox
from .content_size import content_over_budget
from .identity import fold
from .metadata import _docinfo
from .precheck import precheck
from .text import Line, PageText, extract_text, letter_count

logger = logging.getLogger(__name__)

MAX_PAGES_READ = 2
TITLE_CHARS = 300
ABSTRACT_CHARS = 2000
_MIN_LETTERS = 50
# Titles that editors and templates leave in the metadata.
_PLACEHOLDER_TITLES = frozenset(["untitled", "title", "paper", "main", "document"])
_FILE_NAME = re.compile(r"\.(?:pdf|dvi|tex|docx?|odt|pages|rtf)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_ABSTRACT = re.compile(r"^(?:abstract|a bstract)(?:$|\s*[.:\-\u2014\u2013]\s*)")
_ENDS_ABSTRACT = re.compile(
    r"^(?:(?:\d+|[ivx]+)[.)]?\s*)?introduction\b"
    r"|^(?:keywords|key words|index terms|ccs concepts)\b"
)
_DAMAGED = "The PDF is damaged and cannot be read. Please export it again."


class ProfileTextError(Exception):
    """The file gave no title and text; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProfileText:
    title: str
    abstract: str  # the abstract, or the first text of the paper


def extract_profile_text(
    path: str | Path,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    sandbox: bool = True,
) -> ProfileText:
    """Title and abstract of the paper at `path` (see the module docstring).

    Raises ProfileTextError for a file that is too large, not a PDF, damaged,
    password-protected, a decompression bomb or without text; OSError when the
    file cannot be opened at all."""
    if (early := precheck(Path(path), max_bytes=max_bytes)) is not None:
        raise ProfileTextError(early.errors[0].message)
    if sandbox:
        try:
            answer = _run_sandboxed(Path(path))
        except pdf_sandbox.SandboxError as error:
            raise ProfileTextError(error.message) from None
    else:
        answer = profile_job(Path(path))
    if answer.get("error"):
        raise ProfileTextError(str(answer["error"]))
    title, abstract = answer.get("title"), answer.get("abstract")
    if not isinstance(title, str) or not isinstance(abstract, str) or not title:
        raise ProfileTextError("The PDF could not be processed.")
    return ProfileText(title=title[:TITLE_CHARS], abstract=abstract[:ABSTRACT_CHARS])


def _run_sandboxed(path: Path) -> dict[str, Any]:
    return pdf_sandbox.run("profile", str(path))


def profile_job(path: Path) -> dict[str, Any]:
    """What the sandbox worker runs: {"title", "abstract"} or {"error"}."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return {
            "error": "The PDF is protected by a password that is needed to open "
            "it. Please upload it without a password."
        }
    except (pikepdf.PdfError, RuntimeError):
        return {"error": _DAMAGED}
    with pdf:
        try:
            return _read(pdf, path)
        except Exception:
            # Malformed objects can surface anywhere; logged, as it may be our bug.
            logger.exception("Profile text extraction failed on %s", path)
            return {"error": "The PDF could not be processed; it may be damaged."}


def _read(pdf: pikepdf.Pdf, path: Path) -> dict[str, Any]:
    if len(pdf.pages) == 0:
        return {"error": "The PDF has no pages."}
    if content_over_budget(pdf):
        return {
            "error": "The pages hold more drawing data than can be read; the "
            "file may be damaged. Please export it again."
        }
    source: str | io.BytesIO = str(path)
    if pdf.is_encrypted:  # an owner password only: give PDFium a plain copy
        source = io.BytesIO()
        pdf.save(source, encryption=False)
        source.seek(0)
    pages = extract_text(source, max_pages=MAX_PAGES_READ)
    if letter_count(pages) < _MIN_LETTERS:
        return {
            "error": "The PDF has no extractable text (it looks like a scan). "
            "Please upload the PDF exported from your editor."
        }
    lines = _body_lines(pages)
    title_lines = _title_lines(pages[0])
    title = _metadata_title(pdf, pages[0]) or _join(title_lines)
    if not title:
        title = next((text for _, text in lines), "")
    rest = [(line, text) for line, text in lines if line not in title_lines]
    return {"title": title[:TITLE_CHARS], "abstract": _abstract(rest)}


def _metadata_title(pdf: pikepdf.Pdf, first_page: PageText) -> str:
    """The metadata title, if plausible and shown on page 1."""
    candidates = [_docinfo(pdf).get("Title", "")]
    try:
        with pdf.open_metadata() as xmp:
            candidates.append(str(xmp.get("dc:title") or ""))
    except Exception:  # malformed XMP is common; the info dictionary may do
        logger.debug("Unreadable XMP", exc_info=True)
    page_words = set(_WORD.findall(fold(first_page.text)))
    for candidate in candidates:
        title = " ".join(candidate.split())
        words = _WORD.findall(fold(title))
        if (
            len(words) < 2
            or fold(title) in _PLACEHOLDER_TITLES
            or _FILE_NAME.search(title)
            or title.lower().startswith("microsoft word")
        ):
            continue
        shown = sum(word in page_words for word in words)
        if shown >= 0.8 * len(words):
            return title
    return ""


def _title_lines(page: PageText) -> list[Line]:
    """The largest lines in the top part of page 1, read top down: the first
    of them and those right below it at the same size."""
    candidates = [
        line
        for line in page.lines
        if not page.is_margin(line)
        and line.letter_count >= 3
        and line.y1 >= page.height * 0.4
        and line.x1 - line.x0 > line.y1 - line.y0  # not rotated (arXiv stamp)
    ]
    if not candidates:
        return []
    largest = max(line.size for line in candidates)
    big = sorted(
        (line for line in candidates if line.size >= largest - 0.5),
        key=lambda line: -line.y1,
    )
    chosen = [big[0]]
    for line in big[1:]:
        if chosen[-1].y0 - line.y1 > 1.5 * largest:
            break
        chosen.append(line)
    return chosen


def _body_lines(pages: list[PageText]) -> list[tuple[Line, str]]:
    """Every line but margins, in reading order (columns), page by page."""
    return [
        (line, line.text.strip())
        for page in pages
        for line in sorted(page.lines, key=page.reading_key)
        if not page.is_margin(line) and line.text.strip()
    ]


def _abstract(lines: list[tuple[Line, str]]) -> str:
    """The text under the "Abstract" heading; the first text when there is none
    (or nothing under it, as in a template)."""
    folded = [fold(text) for _, text in lines]
    start = next((i for i, text in enumerate(folded) if _ABSTRACT.match(text)), None)
    texts = [text for _, text in lines]
    if start is None:
        return _join_texts(texts)
    heading, heading_text = lines[start]
    match = _ABSTRACT.match(folded[start])
    inline = heading_text[match.end() :].strip() if match else ""
    kept = [inline] if inline else []
    for (line, text), folded_text in zip(
        lines[start + 1 :], folded[start + 1 :], strict=True
    ):
        if _ENDS_ABSTRACT.match(folded_text.rstrip(" .:")) or (
            # A section heading: bold, as large as the "Abstract" heading.
            not inline and line.is_bold and line.size >= heading.size - 0.6
        ):
            break
        kept.append(text)
        if sum(map(len, kept)) > ABSTRACT_CHARS:
            break
    return _join_texts(kept) or _join_texts(texts[:start] + texts[start + 1 :])


def _join(lines: list[Line]) -> str:
    return _join_texts([line.text.strip() for line in lines])


def _join_texts(texts: list[str]) -> str:
    """Lines as one paragraph, words broken at a line end joined again, cut at a
    word boundary after ABSTRACT_CHARS characters."""
    joined = ""
    for text in texts:
        if joined.endswith("-") and text[:1].islower():
            joined = joined[:-1] + text
        else:
            joined = f"{joined} {text}" if joined else text
        if len(joined) > ABSTRACT_CHARS:
            break
    joined = " ".join(joined.split())
    if len(joined) > ABSTRACT_CHARS:
        joined = joined[:ABSTRACT_CHARS].rsplit(" ", 1)[0]
    return joined

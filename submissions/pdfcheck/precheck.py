"""The checks that need no parser: size, header and end marker.

They run in the calling process, before any sandbox job: a file that is too
large, not a PDF at all or cut off is answered at once, with what it looks like
("a JPEG image", "an HTML web page") when the bytes say so.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from .report import CheckReport

_HEAD_BYTES = 1024
_TAIL_BYTES = 32 * 1024
# Some servers and editors put a BOM-less newline or spaces before the header.
_MAX_LEADING_WHITESPACE = 16

_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive or an Office document (.docx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
)


def precheck(path: Path, *, max_bytes: int) -> CheckReport | None:
    """Size, header and end-of-file checks that need no parser."""
    with path.open("rb") as handle:
        return precheck_file(handle, size=path.stat().st_size, max_bytes=max_bytes)


def precheck_file(handle: BinaryIO, *, size: int, max_bytes: int) -> CheckReport | None:
    """`precheck` of an open file (an upload still in memory, say); reads its
    first and last bytes only, and leaves it at its start."""
    if size > max_bytes:
        return CheckReport.failed(
            "too_large",
            f"The file is {size / 2**20:.1f} MB; the maximum is "
            f"{max_bytes / 2**20:.0f} MB. Compress large images and try again.",
        )
    if size == 0:
        return CheckReport.failed("not_pdf", "The file is empty.")
    handle.seek(0)
    head = handle.read(_HEAD_BYTES)
    handle.seek(max(0, size - _TAIL_BYTES))
    tail = handle.read()
    handle.seek(0)
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

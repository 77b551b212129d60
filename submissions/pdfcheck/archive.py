"""Supplementary ZIP archives: checked, scanned for the authors, and rewritten.

Reviewers get the archive with the same entry names, but every entry is
written afresh: one fixed timestamp, no comment, no extra fields (where zip
tools keep owner ids, OS user names and precise times) and no archive comment.
What is inside goes through the same sanitiser as the paper (sanitize.py):
PDFs lose their metadata, links and the rest; JPEG, PNG, WebP and GIF images
lose EXIF, XMP and text chunks (images.py); ZIP archives inside are opened and
rewritten the same way, up to MAX_DEPTH levels, under the same limits (total
unpacked size, entry count) as the outer one. Other archive formats (tar,
7z, rar) cannot be looked into here and are refused with a message saying so.
The rewrite also proves the archive is readable: a damaged entry fails its CRC
check here, not on a reviewer's machine.

Python's zipfile is pure Python over zlib, so this runs in-process; the caps
below bound what a hostile archive (a "zip bomb") can cost. Contained PDFs are
rewritten in the sandboxed child, like the paper.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .identity import IdentityMatcher
from .images import ImageDamaged, clean_image, image_kind
from .report import AuthorIdentity, Issue
from .sanitize import make_reviewer_copies
from .ziprules import (
    FIXED_DATE_TIME,
    MAX_DEPTH,
    MAX_ENTRIES,
    TEXT_TOTAL_MAX_BYTES,
    ArchiveRejected,
    ArchiveReport,
    clean_info,
    is_text_member,
    open_zip,
    scan_names,
    text_issue,
    validate,
)

__all__ = ["FIXED_DATE_TIME", "ArchiveRejected", "ArchiveReport", "process_zip"]
_HEAD_BYTES = 512
_CHUNK = 1024 * 1024

# Archive formats whose members cannot be looked into here: refused.
_OTHER_ARCHIVE_SUFFIXES = (".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".7z", ".rar")
_OTHER_ARCHIVE_MAGIC = (b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")
# Formats that carry their authors in properties we do not rewrite: reported.
_KEEPS_METADATA = {
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".heic": "HEIC",
    ".heif": "HEIF",
    ".psd": "Photoshop",
    ".doc": "Word",
    ".docx": "Word",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".odt": "OpenDocument",
    ".ods": "OpenDocument",
    ".odp": "OpenDocument",
}


def _member_kind(filename: str, head: bytes) -> str:
    """What a member is, by its content first: 'pdf', 'zip', 'image:<kind>',
    'archive' (a format we cannot open) or 'file'."""
    lowered = filename.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and lowered.endswith(".zip"):
        # Only .zip: Office documents, .jar, .npz and PyTorch files are ZIPs
        # too, and must stay byte for byte what their programs expect.
        return "zip"
    if kind := image_kind(head):
        return f"image:{kind}"
    is_tar = head[257:262] == b"ustar" or ".tar." in lowered
    if is_tar or lowered.endswith(_OTHER_ARCHIVE_SUFFIXES):
        return "archive"
    if head.startswith(_OTHER_ARCHIVE_MAGIC):
        return "archive"
    return "file"


@dataclass
class _Member:
    info: zipfile.ZipInfo
    name: str  # as the author knows it: "data.zip/inner/file.pdf"
    kind: str
    pdf: tuple[Path, Path] | None = None  # extracted file, its reviewer copy
    nested: _Planned | None = None


@dataclass
class _Planned:
    archive: zipfile.ZipFile
    members: list[_Member]


class _Counted:
    """A member being read, counted against the unpacked-size budget: declared
    sizes can lie, so what really comes out is counted."""

    def __init__(self, source: BinaryIO, rewriter: _Rewriter) -> None:
        self.source, self.rewriter = source, rewriter

    def read(self, size: int) -> bytes:
        chunk = self.source.read(size)
        self.rewriter.count(len(chunk))
        return chunk


def _too_large(limit: int) -> ArchiveRejected:
    return ArchiveRejected(
        "too_large_unpacked",
        f"The ZIP archive unpacks to more than {limit / 2**20:g} MB "
        "(archives inside it included).",
    )


class _Rewriter:
    """Plans the copy (opening nested archives, extracting PDFs), has the PDFs
    rewritten in one sandboxed batch, then writes the copy in entry order."""

    def __init__(
        self, matcher: IdentityMatcher, *, limit: int, folder: Path, sandbox: bool
    ) -> None:
        self.matcher, self.limit, self.folder = matcher, limit, folder
        self.sandbox = sandbox
        self.unpacked = 0
        self.entries = 0
        self.text_budget = TEXT_TOTAL_MAX_BYTES
        self.found: dict[str, list[str]] = {}
        self.keeps_metadata: list[str] = []
        self.name_warnings: list[Issue] = []
        self.pdfs: list[_Member] = []
        self.opened: list[zipfile.ZipFile] = []

    def count(self, size: int) -> None:
        self.unpacked += size
        if self.unpacked > self.limit:
            raise _too_large(self.limit)

    def plan(self, archive: zipfile.ZipFile, prefix: str, depth: int) -> _Planned:
        infos = archive.infolist()
        self.entries += len(infos)
        if self.entries > MAX_ENTRIES:
            raise ArchiveRejected(
                "too_many_entries",
                f"The ZIP archive has more than {MAX_ENTRIES} entries (archives "
                "inside it included).",
            )
        validate(infos, max_unpacked_bytes=self.limit - self.unpacked)
        spaced = [zipfile.ZipInfo(prefix + info.filename) for info in infos]
        self.name_warnings += scan_names(spaced, self.matcher)
        members = []
        for info in infos:
            member = _Member(info, prefix + info.filename, "dir")
            members.append(member)
            if info.is_dir():
                continue
            with archive.open(info) as source:
                member.kind = _member_kind(info.filename, source.read(_HEAD_BYTES))
            extension = os.path.splitext(info.filename)[1].lower()
            if member.kind == "file" and extension in _KEEPS_METADATA:
                self.keeps_metadata.append(member.name)
            if member.kind == "archive":
                raise ArchiveRejected(
                    "nested_archive",
                    f"'{member.name}' is an archive inside the ZIP archive in a "
                    "format that cannot be checked (only ZIP can). Unpack it into "
                    "the ZIP archive, or pack it as a .zip file.",
                )
            if member.kind == "pdf":
                source_path = self._extract(archive, info)
                member.pdf = (source_path, source_path.with_suffix(".copy"))
                self.pdfs.append(member)
            elif member.kind == "zip":
                if depth >= MAX_DEPTH:
                    raise ArchiveRejected(
                        "nested_too_deep",
                        f"'{member.name}' is a ZIP archive {depth + 1} levels deep; "
                        f"at most {MAX_DEPTH} levels of archives inside the "
                        "archive are accepted.",
                    )
                nested = open_zip(self._extract(archive, info), name=member.name)
                self.opened.append(nested)
                member.nested = self.plan(nested, member.name + "/", depth + 1)
        return _Planned(archive, members)

    def _extract(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Path:
        handle, name = tempfile.mkstemp(prefix=".member-", dir=self.folder)
        with os.fdopen(handle, "wb") as out, archive.open(info) as source:
            counted = _Counted(source, self)
            while chunk := counted.read(_CHUNK):
                out.write(chunk)
        return Path(name)

    def rewrite_pdfs(self) -> None:
        pairs = [member.pdf for member in self.pdfs if member.pdf]
        problems = make_reviewer_copies(pairs, sandbox=self.sandbox)
        for member, problem in zip(self.pdfs, problems, strict=True):
            if problem:
                raise ArchiveRejected(
                    "unreadable_member",
                    f"The PDF '{member.name}' in the ZIP archive cannot be "
                    f"processed: {problem} Please export it again, or leave it out.",
                )

    def write(self, planned: _Planned, copy: zipfile.ZipFile) -> None:
        for member in planned.members:
            with copy.open(clean_info(member.info), "w") as out:
                if member.kind == "dir":
                    continue
                if member.pdf is not None:
                    with member.pdf[1].open("rb") as cleaned:
                        shutil.copyfileobj(cleaned, out, _CHUNK)
                elif member.nested is not None:
                    self._write_nested(member.nested, out)
                elif member.kind.startswith("image:"):
                    self._write_image(planned.archive, member, out)
                else:
                    self._write_file(planned.archive, member, out)

    def _write_nested(self, planned: _Planned, out: BinaryIO) -> None:
        handle, name = tempfile.mkstemp(prefix=".nested-", dir=self.folder)
        os.close(handle)
        with zipfile.ZipFile(name, "w") as nested:
            self.write(planned, nested)
        with open(name, "rb") as written:
            shutil.copyfileobj(written, out, _CHUNK)

    def _write_image(
        self, archive: zipfile.ZipFile, member: _Member, out: BinaryIO
    ) -> None:
        with archive.open(member.info) as source:
            try:
                clean_image(member.kind[6:], _Counted(source, self), out)
            except ImageDamaged as error:
                raise ArchiveRejected(
                    "unreadable_member",
                    f"The image '{member.name}' in the ZIP archive is damaged (or "
                    "a WebP image over 64 MB), so its metadata cannot be removed. "
                    "Please save it again, or leave it out.",
                ) from error

    def _write_file(
        self, archive: zipfile.ZipFile, member: _Member, out: BinaryIO
    ) -> None:
        info = member.info
        scan = bool(self.matcher.authors) and is_text_member(info)
        scan = scan and info.file_size <= self.text_budget
        text = bytearray()
        with archive.open(info) as source:
            counted = _Counted(source, self)
            while chunk := counted.read(_CHUNK):
                if scan and len(text) + len(chunk) <= self.text_budget:
                    text += chunk
                out.write(chunk)
        if scan:
            self.text_budget -= len(text)
            decoded = bytes(text).decode("utf-8", errors="replace")
            for finding in self.matcher.identities_in(decoded):
                self.found.setdefault(finding.value, []).append(member.name)

    def warnings(self) -> list[Issue]:
        warnings = self.name_warnings + text_issue(self.found)
        if self.keeps_metadata:
            shown = ", ".join(f"'{name}'" for name in self.keeps_metadata[:5])
            more = len(self.keeps_metadata) - 5
            shown += f" and {more} more" if more > 0 else ""
            warnings.append(
                Issue(
                    "metadata_kept",
                    f"Reviewers get {shown} as uploaded: the properties of these "
                    "files (author, company, camera) cannot be removed here. "
                    "Clear them in the program that made the files, or convert "
                    "them to PDF or PNG.",
                )
            )
        return warnings


def process_zip(
    src: str | Path,
    dst: str | Path,
    *,
    authors: Sequence[AuthorIdentity] = (),
    max_unpacked_bytes: int = 500 * 1024 * 1024,
    sandbox: bool = True,
) -> ArchiveReport:
    """Check the archive at src, scan it for the authors and write the reviewer
    copy to dst (atomically). Raises ArchiveRejected, leaving dst as it was."""
    src, dst = Path(src), Path(dst)
    with (
        open_zip(src) as archive,
        tempfile.TemporaryDirectory(prefix=".zip-work-", dir=dst.parent) as work,
    ):
        rewriter = _Rewriter(
            IdentityMatcher(authors),
            limit=max_unpacked_bytes,
            folder=Path(work),
            sandbox=sandbox,
        )
        temporary = Path(work) / "copy.zip"
        try:
            planned = rewriter.plan(archive, "", 0)
            rewriter.rewrite_pdfs()
            with zipfile.ZipFile(temporary, "w") as copy:
                rewriter.write(planned, copy)
            shutil.move(temporary, dst)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise ArchiveRejected(
                "unreadable",
                "The ZIP archive is damaged and cannot be read completely. "
                "Please create it again.",
            ) from error
        except NotImplementedError as error:  # a compression method we lack
            raise ArchiveRejected(
                "unreadable",
                "The ZIP archive uses a compression method that is not supported; "
                "please create it with standard (deflate) compression.",
            ) from error
        finally:
            for nested in rewriter.opened:
                nested.close()
    return ArchiveReport(entry_count=len(planned.members), warnings=rewriter.warnings())

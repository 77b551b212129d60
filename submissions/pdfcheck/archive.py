"""Supplementary ZIP archives: checked, scanned for the authors, and rewritten.

Reviewers get the archive with the same entry names and contents, but every
entry is written afresh: one fixed timestamp, no comment, no extra fields (where
zip tools keep owner ids, OS user names and precise times) and no archive
comment. The rewrite also proves the archive is readable: a damaged entry fails
its CRC check here, not on a reviewer's machine.

Python's zipfile is pure Python over zlib, so this runs in-process; the caps
below bound what a hostile archive (a "zip bomb") can cost.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .identity import IdentityMatcher
from .report import AuthorIdentity, Issue

# 1 January 1980, the earliest time a ZIP entry can carry.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_SUFFIXES = frozenset(
    [".txt", ".md", ".py", ".tex", ".bib", ".json", ".yaml", ".yml", ".cfg", ".ipynb"]
)
# What the identity scan reads: small text members, a few MB in all.
TEXT_MEMBER_MAX_BYTES = 1024 * 1024
TEXT_TOTAL_MAX_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 10_000
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_NAME_SEPARATORS = re.compile(r"[/\\_.\-]+")


class ArchiveRejected(Exception):
    """The archive cannot be accepted; `issue` says why, for the author."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.issue = Issue(code, message)


@dataclass
class ArchiveReport:
    entry_count: int = 0
    warnings: list[Issue] = field(default_factory=list)


def _is_unsafe(name: str) -> bool:
    """Absolute paths, drive letters and `..` components escape the folder an
    archive is unpacked into."""
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or _DRIVE.match(normalized):
        return True
    return ".." in PurePosixPath(normalized).parts


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveRejected(
            "not_zip",
            "The supplementary file is not a valid ZIP archive (it may be damaged "
            "or only renamed to .zip). Please create it again.",
        ) from error


def _validate(infos: Sequence[zipfile.ZipInfo], *, max_unpacked_bytes: int) -> None:
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRejected(
            "too_many_entries",
            f"The ZIP archive has {len(infos)} entries; at most {MAX_ENTRIES} are "
            "accepted.",
        )
    unsafe = [info.filename for info in infos if _is_unsafe(info.filename)]
    if unsafe:
        shown = ", ".join(f"'{name}'" for name in unsafe[:3])
        raise ArchiveRejected(
            "unsafe_path",
            f"The ZIP archive contains entries outside its folder ({shown}): "
            "absolute paths and '..' are not allowed. Create the archive from "
            "inside the folder you want to share.",
        )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise ArchiveRejected(
            "duplicate_entries",
            "The ZIP archive lists the same file twice. Please create it again.",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ArchiveRejected(
            "encrypted",
            "The ZIP archive is protected by a password. Please upload it without one.",
        )
    if sum(info.file_size for info in infos) > max_unpacked_bytes:
        raise ArchiveRejected(
            "too_large_unpacked",
            "The ZIP archive unpacks to more than "
            f"{max_unpacked_bytes / 2**20:g} MB. Please share less data.",
        )


def _clean_info(source: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The entry's name and kind, nothing else: no time, comment or extra field."""
    info = zipfile.ZipInfo(source.filename, date_time=FIXED_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.comment = b""
    info.extra = b""
    info.create_system = 3  # Unix, so the permission bits below mean the same
    if source.is_dir():
        info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
        info.compress_type = zipfile.ZIP_STORED
    else:
        executable = (source.external_attr >> 16) & 0o111
        info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
    return info


def _scan_names(
    infos: Sequence[zipfile.ZipInfo], matcher: IdentityMatcher
) -> list[Issue]:
    """jane_nobody/run.py names Jane Nobody: separators count as spaces."""
    found: dict[str, list[str]] = {}
    for info in infos:
        spaced = _NAME_SEPARATORS.sub(" ", info.filename)
        findings = matcher.names_in(spaced) + matcher.emails_in(info.filename)
        for finding in findings:
            found.setdefault(finding.value, []).append(info.filename)
    if not found:
        return []
    places = "; ".join(
        f"'{value}' in {', '.join(repr(n) for n in names[:3])}"
        for value, names in found.items()
    )
    return [
        Issue(
            "identity_in_file_names",
            f"File names in the ZIP archive name an author: {places}. Reviewers "
            "see these names; please rename the files or folders.",
        )
    ]


def _is_text_member(info: zipfile.ZipInfo) -> bool:
    return (
        not info.is_dir()
        and os.path.splitext(info.filename)[1].lower() in TEXT_SUFFIXES
        and info.file_size <= TEXT_MEMBER_MAX_BYTES
    )


def _text_issue(found: dict[str, list[str]]) -> list[Issue]:
    if not found:
        return []
    places = "; ".join(
        f"'{value}' in {', '.join(repr(n) for n in names[:3])}"
        for value, names in found.items()
    )
    return [
        Issue(
            "identity_in_text",
            f"Author details appear in the supplementary material: {places}. "
            "Reviewers get these files as uploaded (only their metadata is "
            "removed): replace names, emails, affiliations and links to your "
            "repositories with anonymous placeholders.",
        )
    ]


def process_zip(
    src: str | Path,
    dst: str | Path,
    *,
    authors: Sequence[AuthorIdentity] = (),
    max_unpacked_bytes: int = 500 * 1024 * 1024,
) -> ArchiveReport:
    """Check the archive at src, scan it for the authors and write the reviewer
    copy to dst (atomically). Raises ArchiveRejected, leaving dst as it was."""
    src, dst = Path(src), Path(dst)
    matcher = IdentityMatcher(authors)
    with _open(src) as archive:
        infos = archive.infolist()
        _validate(infos, max_unpacked_bytes=max_unpacked_bytes)
        report = ArchiveReport(entry_count=len(infos))
        report.warnings += _scan_names(infos, matcher)
        found: dict[str, list[str]] = {}
        text_budget = TEXT_TOTAL_MAX_BYTES
        handle, temporary = tempfile.mkstemp(prefix=".zip-copy-", dir=dst.parent)
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w") as copy:
                unpacked = 0
                for info in infos:
                    scan = matcher.authors and _is_text_member(info)
                    scan = scan and info.file_size <= text_budget
                    text = bytearray()
                    with (
                        archive.open(info) as member,
                        copy.open(_clean_info(info), "w") as out,
                    ):
                        while chunk := member.read(_CHUNK):
                            # Declared sizes can lie; count what really comes out.
                            unpacked += len(chunk)
                            if unpacked > max_unpacked_bytes:
                                raise ArchiveRejected(
                                    "too_large_unpacked",
                                    "The ZIP archive unpacks to more than "
                                    f"{max_unpacked_bytes / 2**20:g} MB.",
                                )
                            if scan and len(text) + len(chunk) <= text_budget:
                                text += chunk
                            out.write(chunk)
                    if scan:
                        text_budget -= len(text)
                        decoded = bytes(text).decode("utf-8", errors="replace")
                        for finding in matcher.identities_in(decoded):
                            found.setdefault(finding.value, []).append(info.filename)
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
            Path(temporary).unlink(missing_ok=True)
    report.warnings += _text_issue(found)
    return report

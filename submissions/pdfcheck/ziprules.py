"""The rules a supplementary ZIP archive (and each one inside it) must meet,
and the searches for the authors in entry names and small text files.

archive.py applies them while it rewrites the archive for reviewers.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .identity import IdentityMatcher
from .report import Issue

# 1 January 1980, the earliest time a ZIP entry can carry.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_SUFFIXES = frozenset(
    [".txt", ".md", ".py", ".tex", ".bib", ".json", ".yaml", ".yml", ".cfg", ".ipynb"]
)
# What the identity scan reads: small text members, a few MB in all.
TEXT_MEMBER_MAX_BYTES = 1024 * 1024
TEXT_TOTAL_MAX_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 10_000  # in all, nested archives' entries included
# Levels of ZIP archives inside the uploaded one (a.zip holding b.zip is 1).
MAX_DEPTH = 3
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


def open_zip(path: Path, *, name: str = "") -> zipfile.ZipFile:
    """Open an archive; `name` is the member's name for one inside another."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        what = f"'{name}' in the ZIP archive" if name else "The supplementary file"
        raise ArchiveRejected(
            "not_zip",
            f"{what} is not a valid ZIP archive (it may be damaged or only "
            "renamed to .zip). Please create it again.",
        ) from error


def validate(infos: Sequence[zipfile.ZipInfo], *, max_unpacked_bytes: int) -> None:
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


def clean_info(source: zipfile.ZipInfo) -> zipfile.ZipInfo:
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


def scan_names(
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
    places = _places(found)
    return [
        Issue(
            "identity_in_file_names",
            f"File names in the ZIP archive name an author: {places}. Reviewers "
            "see these names; please rename the files or folders.",
        )
    ]


def _places(found: dict[str, list[str]]) -> str:
    """ "'Jane' in 'a.py', 'b.py'; …": each value with up to three files naming it."""
    return "; ".join(
        f"'{value}' in {', '.join(repr(n) for n in names[:3])}"
        for value, names in found.items()
    )


def is_text_member(info: zipfile.ZipInfo) -> bool:
    return (
        not info.is_dir()
        and os.path.splitext(info.filename)[1].lower() in TEXT_SUFFIXES
        and info.file_size <= TEXT_MEMBER_MAX_BYTES
    )


def text_issue(found: dict[str, list[str]]) -> list[Issue]:
    if not found:
        return []
    places = _places(found)
    return [
        Issue(
            "identity_in_text",
            f"Author details appear in the supplementary material: {places}. "
            "Reviewers get these files as uploaded (only their metadata is "
            "removed): replace names, emails, affiliations and links to your "
            "repositories with anonymous placeholders.",
        )
    ]

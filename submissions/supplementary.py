"""Supplementary material (a PDF or a ZIP): check it and store it."""

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from haet.models import User
from submissions.models import (
    Submission,
    SubmissionSettings,
    SupplementaryFile,
    private_storage,
)
from submissions.pdfcheck import (
    CheckReport,
    Issue,
    ReviewerCopyError,
    check_pdf,
    make_reviewer_copy,
)
from submissions.pdfcheck.archive import ArchiveRejected, process_zip
from submissions.versions import identities, spool_upload, too_large_message


class SupplementaryRejected(ValidationError):
    """The supplementary file was refused; nothing was changed (the previous
    supplementary material, if any, stays)."""


@dataclass
class SpooledFile:
    """A checked supplementary upload and the copy reviewers will get."""

    path: Path
    original_filename: str
    sha256: str
    size: int
    reviewer_copy: Path | None = None
    report: CheckReport | None = None

    @property
    def extension(self) -> str:
        return self.path.suffix.lstrip(".")


# The paper's checks that make a supplementary PDF unusable; page counts, page
# size and missing references do not apply to it.
SUPPLEMENTARY_PDF_ERRORS = frozenset(["not_pdf", "unreadable", "encrypted"])
SUPPLEMENTARY_PDF_WARNINGS = frozenset(
    ["identity_in_text", "metadata_identity", "javascript"]
)
# Supplementary PDFs longer than this are not searched for names (the check's
# text extraction is bounded in time); their metadata is removed all the same.
SUPPLEMENTARY_SCAN_PAGES = 100
# A ZIP may unpack to at most this many times its size limit.
SUPPLEMENTARY_UNPACK_FACTOR = 10


def _supplementary_pdf_report(
    path: Path, *, authors: Iterable, submission_settings: SubmissionSettings
) -> CheckReport:
    """The paper check, reduced to what applies to supplementary material."""
    report = check_pdf(
        str(path),
        authors=identities(authors),
        page_limit=None,
        max_bytes=submission_settings.supplementary_max_bytes,
        max_pages=SUPPLEMENTARY_SCAN_PAGES,
        mode="submission",
    )
    errors = [e for e in report.errors if e.code in SUPPLEMENTARY_PDF_ERRORS]
    warnings = [w for w in report.warnings if w.code in SUPPLEMENTARY_PDF_WARNINGS]
    for error in report.errors:
        if error.code == "author_identity":
            # Blocking on the paper's first page; a warning here.
            warnings.append(Issue("identity_in_text", error.message))
        elif error.code == "too_many_pages":
            warnings.append(
                Issue(
                    "not_scanned",
                    f"The PDF has more than {SUPPLEMENTARY_SCAN_PAGES} pages, so its "
                    "text was not searched for the authors' names. Check yourself "
                    "that it is anonymous.",
                )
            )
    return CheckReport(
        ok=not errors,
        pages=report.pages,
        main_body_pages=None,
        references_page=None,
        page_size=report.page_size,
        errors=errors,
        warnings=warnings,
    )


def check_supplementary(
    upload: UploadedFile,
    *,
    submission_settings: SubmissionSettings,
    authors: Iterable = (),
) -> SpooledFile:
    """Supplementary material: one PDF or ZIP, by content, within its size limit.

    A PDF gets the paper's readability and identity checks and a reviewer copy
    without metadata; a ZIP must be a valid archive with no entry outside its
    folder, is searched for the authors (entry names, small text files) and
    rewritten for reviewers without timestamps, comments and extra fields.
    Raises SupplementaryRejected. The caller removes the files (`discard_spooled`).
    """
    name = os.path.basename(upload.name or "")[:255]
    extension = os.path.splitext(name)[1].lower()
    if extension not in (".pdf", ".zip"):
        raise SupplementaryRejected(
            "Supplementary material must be one PDF or ZIP file.", code="not_pdf_zip"
        )
    spooled = spool_upload(
        upload, max_bytes=submission_settings.supplementary_max_bytes, suffix=extension
    )
    if spooled is None:
        raise SupplementaryRejected(
            too_large_message(
                submission_settings.supplementary_max_bytes, "The supplementary file"
            ),
            code="too_large",
        )
    path, sha256, size = spooled
    checked = SpooledFile(path, name, sha256, size)
    try:
        with open(path, "rb") as f:
            magic = f.read(5)
        if not magic.startswith(b"%PDF-" if extension == ".pdf" else b"PK\x03\x04"):
            raise SupplementaryRejected(
                f"The supplementary file is not a {extension[1:].upper()} file.",
                code="not_pdf_zip",
            )
        checked.reviewer_copy = Path(f"{path}.reviewer{extension}")
        if extension == ".pdf":
            checked.report = _check_supplementary_pdf(
                checked, authors=authors, submission_settings=submission_settings
            )
        else:
            checked.report = _check_supplementary_zip(
                checked, authors=authors, submission_settings=submission_settings
            )
    except BaseException:
        discard_spooled(checked)
        raise
    return checked


def _check_supplementary_pdf(
    checked: SpooledFile, *, authors: Iterable, submission_settings: SubmissionSettings
) -> CheckReport:
    report = _supplementary_pdf_report(
        checked.path, authors=authors, submission_settings=submission_settings
    )
    if report.errors:
        raise SupplementaryRejected(
            [ValidationError(e.message, code=e.code) for e in report.errors]
        )
    assert checked.reviewer_copy is not None  # noqa: S101 - set by the caller
    try:
        make_reviewer_copy(str(checked.path), str(checked.reviewer_copy))
    except ReviewerCopyError as error:
        raise SupplementaryRejected(
            f"The supplementary PDF cannot be processed: {error} Please export it "
            "again.",
            code="unreadable",
        ) from error
    return report


def _check_supplementary_zip(
    checked: SpooledFile, *, authors: Iterable, submission_settings: SubmissionSettings
) -> CheckReport:
    assert checked.reviewer_copy is not None  # noqa: S101 - set by the caller
    try:
        archive = process_zip(
            checked.path,
            checked.reviewer_copy,
            authors=identities(authors),
            max_unpacked_bytes=submission_settings.supplementary_max_bytes
            * SUPPLEMENTARY_UNPACK_FACTOR,
        )
    except ArchiveRejected as error:
        issue = error.issue
        raise SupplementaryRejected(issue.message, code=issue.code) from error
    return CheckReport(
        ok=True,
        pages=None,
        main_body_pages=None,
        references_page=None,
        page_size="",
        warnings=archive.warnings,
    )


def remove_stored(names: Iterable[str]) -> None:
    """Delete files from private storage (those of rolled-back rows)."""
    storage = private_storage
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            storage.delete(name)


def discard_spooled(spooled: SpooledFile | None) -> None:
    if spooled is None:
        return
    for path in (spooled.path, spooled.reviewer_copy):
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def store_supplementary(
    submission: Submission,
    spooled: SpooledFile,
    *,
    by: User,
    at: datetime,
    stored: list,
) -> SupplementaryFile:
    supplementary = SupplementaryFile(
        submission=submission,
        original_filename=spooled.original_filename,
        sha256=spooled.sha256,
        size=spooled.size,
        uploaded_by=by,
        uploaded_at=at,
    )
    supplementary.check_report = spooled.report.to_dict() if spooled.report else {}
    with open(spooled.path, "rb") as f:
        supplementary.file.save(spooled.original_filename, File(f), save=False)
    stored.append(supplementary.file.name)
    if spooled.reviewer_copy is not None:
        with open(spooled.reviewer_copy, "rb") as f:
            name = f"supplementary.{spooled.extension}"
            supplementary.reviewer_copy.save(name, File(f), save=False)
        stored.append(supplementary.reviewer_copy.name)
    supplementary.save()
    submission.supplementary = supplementary
    return supplementary

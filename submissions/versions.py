"""The paper PDF: check an upload (in the sandbox), store it as a SubmissionVersion."""

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from haet.models import Conference, User
from submissions.models import Submission, SubmissionSettings, SubmissionVersion
from submissions.pdfcheck import AuthorIdentity, CheckReport, check_pdf

CHUNK = 64 * 1024


class UploadRejected(ValidationError):
    """The upload failed a blocking check; `report` says why. Nothing was changed."""

    def __init__(self, report: CheckReport):
        self.report = report
        super().__init__(
            [ValidationError(issue.message, code=issue.code) for issue in report.errors]
        )


@dataclass
class CheckedUpload:
    """An uploaded PDF written to a temporary file and checked."""

    path: Path
    original_filename: str
    sha256: str
    size: int
    report: CheckReport
    declared_main_body_pages: int | None = None
    reviewer_copy: Path | None = field(default=None)

    @property
    def is_main_body_self_declared(self) -> bool:
        return self.declared_main_body_pages is not None and any(
            w.code == "references_not_found" for w in self.report.warnings
        )


def identities(authors: Iterable) -> list[AuthorIdentity]:
    """Author rows or author dicts, as the check's AuthorIdentity."""
    found = []
    for author in authors:
        get = author.get if isinstance(author, dict) else partial(getattr, author)
        found.append(
            AuthorIdentity(
                name=get("name") or "",
                email=get("email") or "",
                affiliation=get("affiliation") or "",
            )
        )
    return found


def spool_upload(
    upload: UploadedFile, *, max_bytes: int, suffix: str
) -> tuple[Path, str, int] | None:
    """Copy the upload to a temporary file, hashing it; None if it is too large.

    Django already streams large uploads to disk; this refuses by the declared size
    first and never reads past the limit.
    """
    if upload.size is not None and upload.size > max_bytes:
        return None
    digest = hashlib.sha256()
    size = 0
    handle, name = tempfile.mkstemp(prefix="haet-upload-", suffix=suffix)
    with os.fdopen(handle, "wb") as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                break
            digest.update(chunk)
            out.write(chunk)
    if size > max_bytes:
        os.unlink(name)
        return None
    return Path(name), digest.hexdigest(), size


def too_large_message(max_bytes: int, what: str = "The PDF") -> str:
    return f"{what} is larger than the limit of {max_bytes / (1024 * 1024):g} MB."


def check_upload(
    upload: UploadedFile,
    *,
    authors: Iterable,
    conference: Conference,
    submission_settings: SubmissionSettings | None = None,
    declared_main_body_pages: int | None = None,
) -> CheckedUpload:
    """Write the upload to a temporary file and run the PDF checks on it.

    Raises UploadRejected (after removing the temporary file) on a blocking error.
    The caller owns `path` and `reviewer_copy` and removes them (`discard`).
    """
    submission_settings = (
        submission_settings or SubmissionSettings.objects.for_conference(conference)
    )
    spooled = spool_upload(
        upload, max_bytes=submission_settings.max_bytes, suffix=".pdf"
    )
    if spooled is None:
        raise UploadRejected(
            CheckReport.failed(
                "too_large", too_large_message(submission_settings.max_bytes)
            )
        )
    path, sha256, size = spooled
    # The check and the reviewer copy run in one sandbox job; a file that fails
    # either one gets no copy.
    copy = Path(str(path) + ".reviewer.pdf")
    report = check_pdf(
        str(path),
        authors=identities(authors),
        page_limit=conference.page_limit,
        max_bytes=submission_settings.max_bytes,
        max_pages=submission_settings.max_pages,
        mode="submission",
        declared_main_body_pages=declared_main_body_pages,
        reviewer_copy=copy,
    )
    checked = CheckedUpload(
        path=path,
        original_filename=os.path.basename(upload.name or "paper.pdf")[:255],
        sha256=sha256,
        size=size,
        report=report,
        declared_main_body_pages=declared_main_body_pages,
    )
    if not report.ok or report.errors:
        discard(checked)
        raise UploadRejected(report)
    checked.reviewer_copy = copy
    return checked


def discard(checked: CheckedUpload | None) -> None:
    if checked is None:
        return
    for path in (checked.path, checked.reviewer_copy):
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def store_version(
    submission: Submission,
    checked: CheckedUpload,
    *,
    by: User,
    at: datetime,
    is_late: bool,
    stored: list,
    started_at: datetime | None = None,
    received_at: datetime | None = None,
) -> SubmissionVersion:
    """Save the files under random names and the row. The stored files are added
    to `stored`, for the caller to remove if the transaction rolls back."""
    report = checked.report
    version = SubmissionVersion(
        submission=submission,
        original_filename=checked.original_filename,
        sha256=checked.sha256,
        size=checked.size,
        page_count=report.pages,
        main_body_pages=report.main_body_pages or checked.declared_main_body_pages,
        is_main_body_self_declared=checked.is_main_body_self_declared,
        check_report=report.to_dict(),
        is_late=is_late,
        uploaded_by=by,
        uploaded_at=at,
        request_started_at=started_at,
        received_at=received_at,
    )
    with open(checked.path, "rb") as f:
        version.original.save("paper.pdf", File(f), save=False)
    stored.append(version.original.name)
    if checked.reviewer_copy is not None:
        with open(checked.reviewer_copy, "rb") as f:
            version.reviewer_copy.save("paper.pdf", File(f), save=False)
        stored.append(version.reviewer_copy.name)
    version.save()
    submission.current_version = version
    return version

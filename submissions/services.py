"""Every write to a submission goes through here.

The deadline rule: a change is accepted iff the server receives it before the
deadline instant (the submission's extension, if later), or within the chairs'
grace period, in which case it is flagged late to chairs. Anything else raises
`DeadlinePassed` and changes nothing. Services take the moment of receipt as `at`
(the view stamps it when the request arrives); it defaults to `clock.now()`.
An upload counts from when its request started (`counted_at`), so a slow
connection is not punished, within a bounded transfer window.
"""

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse

from haet import clock
from haet.models import Conference, ImportantDate, Topic, User
from haet.outbox.services import queue_mail
from haet.templatetags.haet import describe_deadline
from submissions.models import (
    Author,
    DeadlineExtension,
    DeclaredConflict,
    PaperVersion,
    Receipt,
    Submission,
    SubmissionSettings,
    SupplementaryFile,
    private_storage,
)
from submissions.pdfcheck import (
    AuthorIdentity,
    CheckReport,
    Issue,
    ReviewerCopyError,
    check_pdf,
    make_reviewer_copy,
)
from submissions.pdfcheck.archive import ArchiveRejected, process_zip

CHUNK = 64 * 1024
NUMBER_ATTEMPTS = 20


# --- deadlines ---------------------------------------------------------------------
class DeadlinePassed(ValidationError):
    """Raised by every mutating service after the deadline; nothing was changed."""


@dataclass(frozen=True)
class Window:
    """When one submission (or a new one) may change."""

    closes_at: datetime | None  # the first instant that is too late; None: no deadline
    grace: timedelta

    @property
    def grace_ends_at(self) -> datetime | None:
        return None if self.closes_at is None else self.closes_at + self.grace

    def is_open(self, at: datetime) -> bool:
        return self.grace_ends_at is None or at < self.grace_ends_at

    def is_late(self, at: datetime) -> bool:
        return self.closes_at is not None and at >= self.closes_at


def transfer_window() -> timedelta:
    """How long an upload may take to arrive and still count from its start."""
    return timedelta(minutes=django_settings.UPLOAD_TRANSFER_WINDOW_MINUTES)


def counted_at(*, started_at: datetime | None, received_at: datetime) -> datetime:
    """The moment a request counts against the deadline: when it started (the
    author pressed the button in time; the bytes were on their way), unless the
    transfer took longer than the window, in which case it counts as if it had
    started that long before it ended, so nobody can hold a request open past the
    deadline and finish it at leisure."""
    if started_at is None:
        return received_at
    return max(started_at, received_at - transfer_window())


def conference_deadline(conference: Conference) -> datetime | None:
    date = conference.date(ImportantDate.Kind.SUBMISSION_DEADLINE)
    return None if date is None else date.closes_at


def window_for(
    submission: Submission | None,
    *,
    conference: Conference,
    settings: SubmissionSettings | None = None,
) -> Window:
    settings = settings or SubmissionSettings.objects.for_conference(conference)
    deadline = conference_deadline(conference)
    if submission is not None:
        deadline = submission.closes_at(deadline)
    return Window(closes_at=deadline, grace=settings.grace)


def ensure_open(
    submission: Submission | None,
    *,
    conference: Conference,
    at: datetime,
    settings: SubmissionSettings | None = None,
) -> bool:
    """Raise DeadlinePassed unless a change received `at` is accepted; return
    whether it is late (received in the grace period)."""
    window = window_for(submission, conference=conference, settings=settings)
    if not window.is_open(at):
        assert window.closes_at is not None  # noqa: S101 - is_open says so
        raise DeadlinePassed(
            "The submission deadline has passed: changes were accepted until "
            f"{describe_deadline(window.closes_at, conference)}. Nothing was changed.",
            code="deadline_passed",
        )
    return window.is_late(at)


# --- PDF checks --------------------------------------------------------------------
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


def _spool(upload: UploadedFile, *, max_bytes: int, suffix: str):
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
    settings: SubmissionSettings | None = None,
    declared_main_body_pages: int | None = None,
) -> CheckedUpload:
    """Write the upload to a temporary file and run the PDF checks on it.

    Raises UploadRejected (after removing the temporary file) on a blocking error.
    The caller owns `path` and `reviewer_copy` and removes them (`discard`).
    """
    settings = settings or SubmissionSettings.objects.for_conference(conference)
    spooled = _spool(upload, max_bytes=settings.max_bytes, suffix=".pdf")
    if spooled is None:
        raise UploadRejected(
            CheckReport.failed("too_large", too_large_message(settings.max_bytes))
        )
    path, sha256, size = spooled
    report = check_pdf(
        str(path),
        authors=identities(authors),
        page_limit=conference.page_limit,
        max_bytes=settings.max_bytes,
        max_pages=settings.max_pages,
        mode="submission",
        declared_main_body_pages=declared_main_body_pages,
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
    copy = Path(str(path) + ".reviewer.pdf")
    try:
        make_reviewer_copy(str(path), str(copy))
    except ReviewerCopyError as error:
        discard(checked)
        raise UploadRejected(
            CheckReport.failed("unreadable", f"{error} Please export it again.")
        ) from error
    checked.reviewer_copy = copy
    return checked


def discard(checked: CheckedUpload | None) -> None:
    if checked is None:
        return
    for path in (checked.path, checked.reviewer_copy):
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


# --- supplementary material -------------------------------------------------------
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
    path: Path, *, authors: Iterable, settings: SubmissionSettings
) -> CheckReport:
    """The paper check, reduced to what applies to supplementary material."""
    report = check_pdf(
        str(path),
        authors=identities(authors),
        page_limit=None,
        max_bytes=settings.supplementary_max_bytes,
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
    upload: UploadedFile, *, settings: SubmissionSettings, authors: Iterable = ()
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
    spooled = _spool(
        upload, max_bytes=settings.supplementary_max_bytes, suffix=extension
    )
    if spooled is None:
        raise SupplementaryRejected(
            too_large_message(
                settings.supplementary_max_bytes, "The supplementary file"
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
                checked, authors=authors, settings=settings
            )
        else:
            checked.report = _check_supplementary_zip(
                checked, authors=authors, settings=settings
            )
    except BaseException:
        discard_spooled(checked)
        raise
    return checked


def _check_supplementary_pdf(
    checked: SpooledFile, *, authors: Iterable, settings: SubmissionSettings
) -> CheckReport:
    report = _supplementary_pdf_report(checked.path, authors=authors, settings=settings)
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
    checked: SpooledFile, *, authors: Iterable, settings: SubmissionSettings
) -> CheckReport:
    assert checked.reviewer_copy is not None  # noqa: S101 - set by the caller
    try:
        archive = process_zip(
            checked.path,
            checked.reviewer_copy,
            authors=identities(authors),
            max_unpacked_bytes=settings.supplementary_max_bytes
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


# --- writes ------------------------------------------------------------------------
@dataclass
class SubmissionData:
    """What the author types: the form's cleaned data."""

    title: str
    abstract: str = ""
    keywords: str = ""
    topics: list[Topic] = field(default_factory=list)
    authors: list[dict] = field(default_factory=list)  # name, email, affiliation
    not_accepted_at_main: bool = False
    include_in_proceedings: bool = False
    arxiv_url: str = ""
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    # Stated with an upload, for when the check cannot find the references.
    main_body_pages: int | None = None


def _next_number() -> int:
    return (Submission.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def _create_numbered(**fields) -> Submission:
    """Create with the next paper number, one creating transaction at a time.

    Retrying on the unique index alone was not enough in a deadline rush: every
    retry waits for one rival to commit, and with dozens of creates in flight a slow
    request lost 20 times in a row (a 500; bench/deadline_rush.py). So the creating
    transaction first locks the conference row (FOR NO KEY UPDATE: the foreign keys
    of other inserts, which take FOR KEY SHARE, do not wait for it) and reads the
    maximum only once the previous creator has committed. The lock lasts until
    commit, a few milliseconds of writes (the PDF was checked before). The retry
    stays for creates in another conference, whose numbers are shared."""
    list(
        Conference.objects.select_for_update(no_key=True)
        .filter(pk=fields["conference"].pk)
        .values_list("pk", flat=True)
    )
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return Submission.objects.create(number=_next_number(), **fields)
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _verified_users(emails: Iterable[str]) -> dict[str, User]:
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(email__iexact=email)
    addresses = EmailAddress.objects.filter(query, verified=True).select_related("user")
    return {address.email.lower(): address.user for address in addresses}


def _save_authors(submission: Submission, authors: list[dict], *, by: User) -> None:
    """Make the author list exactly `authors`, in order, keyed by email. New
    co-authors get an email; verified accounts are linked at once."""
    existing = {a.email.lower(): a for a in submission.authors.all()}
    wanted = [{**a, "email": a["email"].strip().lower()} for a in authors]
    keep = {a["email"] for a in wanted}
    gone = [a.pk for email, a in existing.items() if email not in keep]
    if gone:
        Author.objects.filter(pk__in=gone).delete()
    users = _verified_users(keep)
    for order, data in enumerate(wanted):
        author = existing.get(data["email"])
        is_new = author is None
        if author is None:
            author = Author(submission=submission, email=data["email"])
        author.order = order
        author.name = data["name"].strip()
        author.affiliation = (data.get("affiliation") or "").strip()
        author.user = users.get(data["email"], author.user)
        author.save()
        if is_new and data["email"] != by.email.lower():
            _notify_coauthor(submission, author, by=by)


def _notify_coauthor(submission: Submission, author: Author, *, by: User) -> None:
    queue_mail(
        to=author.user or author.email,
        template="submission_coauthor",
        context={
            "submission_number": submission.number,
            "title": submission.title,
            "author_name": author.name,
            "added_by": by.display_name,
            "email": author.email,
            "path": reverse("submissions:detail", args=[submission.number]),
        },
        dedupe_key=f"coauthor:{submission.pk}:{author.email}",
        submissions=[submission],
    )


def _save_conflicts(
    submission: Submission, conflicts: list[tuple[str, str]], *, by: User, at
) -> None:
    wanted = {(kind, value.strip().lower()) for kind, value in conflicts}
    existing = {(c.kind, c.value): c for c in submission.conflicts.all()}
    gone = [c.pk for key, c in existing.items() if key not in wanted]
    if gone:
        DeclaredConflict.objects.filter(pk__in=gone).delete()
    DeclaredConflict.objects.bulk_create(
        DeclaredConflict(
            submission=submission,
            kind=kind,
            value=value,
            declared_by=by,
            declared_at=at,
        )
        for kind, value in sorted(wanted - set(existing))
    )


def _store_version(
    submission: Submission,
    checked: CheckedUpload,
    *,
    by: User,
    at,
    is_late: bool,
    stored: list,
    started_at: datetime | None = None,
    received_at: datetime | None = None,
) -> PaperVersion:
    """Save the files under random names and the row. The stored files are added
    to `stored`, for the caller to remove if the transaction rolls back."""
    report = checked.report
    version = PaperVersion(
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


def _store_supplementary(
    submission: Submission, spooled: SpooledFile, *, by: User, at, stored: list
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


def submit_problems(
    data: SubmissionData,
    *,
    version: PaperVersion | None,
    checked: CheckedUpload | None = None,
) -> list[str]:
    """Why this cannot be submitted yet (empty: it can)."""
    problems = []
    if not data.title.strip():
        problems.append("Give the title.")
    if not data.abstract.strip():
        problems.append("Give the abstract.")
    if not data.authors:
        problems.append("List at least one author.")
    if not data.topics:
        problems.append("Choose at least one topic.")
    if not data.not_accepted_at_main:
        problems.append(
            "Declare that the paper has not been accepted at the main conference."
        )
    if checked is None and version is None:
        problems.append("Submitting needs the paper PDF.")
    return problems


def receipt_time(at: datetime, conference: Conference) -> tuple[str, str]:
    """The moment of receipt in the conference zone and in UTC, to the second."""
    local = at.astimezone(conference.tzinfo)
    return (
        f"{local:%d %B %Y, %H:%M:%S} {conference.zone_label(at)}",
        f"{at.astimezone(UTC):%d %B %Y, %H:%M:%S} UTC",
    )


def _send_receipt(submission: Submission, *, at: datetime, is_late: bool) -> None:
    """A receipt per (submission, PDF): resubmitting the same file sends none."""
    version = submission.current_version
    if submission.receipts.filter(sha256=version.sha256).exists():
        return
    contact = submission.contact
    Receipt.objects.create(
        submission=submission,
        version=version,
        received_at=at,
        sha256=version.sha256,
        is_late=is_late,
        sent_to=contact.email,
    )
    local, in_utc = receipt_time(at, submission.conference)
    queue_mail(
        to=contact,
        template="submission_receipt",
        context={
            "submission_number": submission.number,
            "title": submission.title,
            "file_name": f"{submission.file_stem}.pdf",
            "received_local": local,
            "received_utc": in_utc,
            "sha256": version.sha256,
            "size": version.size,
            "pages": version.page_count,
            "path": reverse("submissions:detail", args=[submission.number]),
        },
        dedupe_key=f"receipt:{submission.pk}:{version.sha256}",
        submissions=[submission],
    )


def save_submission(
    submission: Submission | None,
    data: SubmissionData,
    *,
    conference: Conference,
    by: User,
    paper: UploadedFile | None = None,
    supplementary: UploadedFile | None = None,
    remove_supplementary: bool = False,
    submit: bool = False,
    at: datetime | None = None,
    started_at: datetime | None = None,
) -> Submission:
    """Create (submission=None) or change a submission; optionally submit it.

    `at` is when the request was received in full, `started_at` when it started:
    the deadline counts `counted_at(started_at, at)`; both are kept on a new version.

    Order: the deadline, then the PDF checks, then what submitting needs; any of
    them refusing raises (DeadlinePassed, UploadRejected, ValidationError) before
    anything is written. Side effects: a new PaperVersion and reviewer copy for a
    new PDF; an email to each newly listed co-author; a Receipt and a receipt
    email when the submission becomes submitted or a submitted one gets a new PDF.
    Files stored by a transaction that rolls back are removed again (a rollback of
    an enclosing transaction is left to the daily orphan sweep).
    """
    received_at = at or clock.now()
    at = counted_at(started_at=started_at, received_at=received_at)
    settings = SubmissionSettings.objects.for_conference(conference)
    is_late = ensure_open(submission, conference=conference, at=at, settings=settings)
    checked = spooled = None
    try:
        if paper is not None:
            checked = check_upload(
                paper,
                authors=data.authors,
                conference=conference,
                settings=settings,
                declared_main_body_pages=data.main_body_pages,
            )
        if supplementary is not None:
            spooled = check_supplementary(
                supplementary, settings=settings, authors=data.authors
            )
        version = submission.current_version if submission else None
        if submit:
            problems = submit_problems(data, version=version, checked=checked)
            if problems:
                raise ValidationError(problems, code="incomplete")
        stored: list[str] = []
        try:
            with transaction.atomic():
                return _write(
                    submission,
                    data,
                    conference=conference,
                    by=by,
                    checked=checked,
                    spooled=spooled,
                    remove_supplementary=remove_supplementary,
                    submit=submit,
                    at=at,
                    is_late=is_late,
                    stored=stored,
                    started_at=started_at,
                    received_at=received_at,
                )
        except BaseException:
            # Nothing references these files any more: the rows were rolled back.
            remove_stored(stored)
            raise
    finally:
        discard(checked)
        discard_spooled(spooled)


def _write(
    submission: Submission | None,
    data: SubmissionData,
    *,
    conference: Conference,
    by: User,
    checked: CheckedUpload | None,
    spooled: SpooledFile | None,
    remove_supplementary: bool,
    submit: bool,
    at: datetime,
    is_late: bool,
    stored: list[str],
    started_at: datetime | None,
    received_at: datetime,
) -> Submission:
    fields = {
        "title": data.title.strip(),
        "abstract": data.abstract.strip(),
        "keywords": data.keywords.strip(),
        "not_accepted_at_main": data.not_accepted_at_main,
        "include_in_proceedings": data.include_in_proceedings,
        "arxiv_url": data.arxiv_url.strip(),
    }
    if submission is None:
        submission = _create_numbered(
            conference=conference, contact=by, created_by=by, **fields
        )
    else:
        # The row lock orders concurrent saves of one submission (two co-authors).
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        for name, value in fields.items():
            setattr(submission, name, value)
    was_submitted = submission.is_submitted
    submission.topics.set(data.topics)
    _save_authors(submission, data.authors, by=by)
    _save_conflicts(submission, data.conflicts, by=by, at=at)
    if checked is not None:
        _store_version(
            submission,
            checked,
            by=by,
            at=at,
            is_late=is_late,
            stored=stored,
            started_at=started_at,
            received_at=received_at,
        )
    if spooled is not None:
        _store_supplementary(submission, spooled, by=by, at=at, stored=stored)
    elif remove_supplementary:
        submission.supplementary = None
    version = submission.current_version
    # Chairs see a page count the author stated (the check found no references).
    submission.main_body_pages = (
        version.main_body_pages
        if version is not None and version.is_main_body_self_declared
        else None
    )
    submission.is_late = submission.is_late or is_late
    becomes_submitted = submit and not was_submitted
    if becomes_submitted:
        submission.state = Submission.State.SUBMITTED
        submission.submitted_at = at
    submission.full_clean(exclude=["number", "contact", "created_by", "conference"])
    submission.save()
    if becomes_submitted or (was_submitted and checked is not None):
        _send_receipt(submission, at=at, is_late=is_late)
    return submission


@transaction.atomic
def submit_submission(
    submission: Submission, *, by: User, at: datetime | None = None
) -> Submission:
    """Submit a saved draft as it is (the "Submit" button on its page)."""
    at = at or clock.now()
    is_late = ensure_open(submission, conference=submission.conference, at=at)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_submitted:
        return submission
    problems = submit_problems(data_of(submission), version=submission.current_version)
    if problems:
        raise ValidationError(problems, code="incomplete")
    submission.state = Submission.State.SUBMITTED
    submission.submitted_at = at
    submission.is_late = submission.is_late or is_late
    submission.save(update_fields=["state", "submitted_at", "is_late", "updated_at"])
    _send_receipt(submission, at=at, is_late=is_late)
    return submission


def data_of(submission: Submission) -> SubmissionData:
    """The submission as SubmissionData (what a form would send unchanged)."""
    return SubmissionData(
        title=submission.title,
        abstract=submission.abstract,
        keywords=submission.keywords,
        topics=list(submission.topics.all()),
        authors=[
            {"name": a.name, "email": a.email, "affiliation": a.affiliation}
            for a in submission.authors.order_by("order", "pk")
        ],
        not_accepted_at_main=submission.not_accepted_at_main,
        include_in_proceedings=submission.include_in_proceedings,
        arxiv_url=submission.arxiv_url,
        conflicts=[(c.kind, c.value) for c in submission.conflicts.all()],
        main_body_pages=submission.main_body_pages,
    )


@transaction.atomic
def withdraw_submission(
    submission: Submission, *, by: User, at: datetime | None = None
) -> Submission:
    """Withdraw; reversible with restore_submission until the deadline."""
    at = at or clock.now()
    is_late = ensure_open(submission, conference=submission.conference, at=at)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_withdrawn:
        submission.state = Submission.State.WITHDRAWN
        submission.withdrawn_at = at
        submission.is_late = submission.is_late or is_late
        submission.save(
            update_fields=["state", "withdrawn_at", "is_late", "updated_at"]
        )
    return submission


@transaction.atomic
def restore_submission(
    submission: Submission, *, by: User, at: datetime | None = None
) -> Submission:
    """Undo a withdrawal: back to submitted if it had been submitted, else draft."""
    at = at or clock.now()
    is_late = ensure_open(submission, conference=submission.conference, at=at)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_withdrawn:
        submission.state = (
            Submission.State.SUBMITTED
            if submission.submitted_at
            else Submission.State.DRAFT
        )
        submission.withdrawn_at = None
        submission.is_late = submission.is_late or is_late
        submission.save(
            update_fields=["state", "withdrawn_at", "is_late", "updated_at"]
        )
    return submission


def grant_extension(
    submission: Submission, *, until: datetime, reason: str = "", by: User
) -> DeadlineExtension:
    """Let one submission change until `until` (exclusive). Logged: who, when."""
    return DeadlineExtension.objects.create(
        submission=submission,
        until=until,
        reason=reason.strip(),
        granted_by=by,
        granted_at=clock.now(),
    )


def link_authors(user: User) -> int:
    """Give `user` the author lines listed under their verified addresses.
    Called on login and on email confirmation; returns how many were linked."""
    emails = [
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]
    if not emails:
        return 0
    return Author.objects.filter(user__isnull=True, email__in=emails).update(user=user)

"""Every write to a submission's own fields goes through here: create, change,
submit, withdraw, restore.

Each write first asks submissions.deadlines whether the submission may still
change (`ensure_open`: else `DeadlinePassed`, and nothing changes). Services take
the moment of receipt as `at` (the view stamps it when the request arrives); it
defaults to `clock.now()`. An upload counts from when its request started
(`counted_at`). The checked files come from submissions.versions and
submissions.supplementary; authors and receipts have their own modules.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from haet import audit, clock
from haet.audit.registry import record_created
from haet.models import Conference, Topic, User
from submissions.authors import save_authors
from submissions.deadlines import counted_at, ensure_open
from submissions.models import (
    DeclaredConflict,
    Submission,
    SubmissionSettings,
    SubmissionVersion,
)
from submissions.receipts import send_receipt
from submissions.supplementary import (
    SpooledFile,
    check_supplementary,
    discard_spooled,
    remove_stored,
    store_supplementary,
)
from submissions.versions import CheckedUpload, check_upload, discard, store_version

NUMBER_ATTEMPTS = 20


@dataclass
class SubmissionData:
    """What the author types: the form's cleaned data."""

    title: str
    abstract: str = ""
    keywords: str = ""
    topics: list[Topic] = field(default_factory=list)
    # name, email, affiliation, orcid
    authors: list[dict] = field(default_factory=list)
    not_accepted_at_main: bool = False
    include_in_proceedings: bool = False
    arxiv_url: str = ""
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    # Stated with an upload, for when the check cannot find the references.
    main_body_pages: int | None = None


def _next_number() -> int:
    return (Submission.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def _create_numbered(**fields: Any) -> Submission:
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


def _save_conflicts(
    submission: Submission, conflicts: list[tuple[str, str]], *, by: User, at: datetime
) -> None:
    wanted = {(kind, value.strip().lower()) for kind, value in conflicts}
    existing = {(c.kind, c.value): c for c in submission.conflicts.all()}
    gone = [c.pk for key, c in existing.items() if key not in wanted]
    if gone:
        DeclaredConflict.objects.filter(pk__in=gone).delete()
    created = DeclaredConflict.objects.bulk_create(
        DeclaredConflict(
            submission=submission,
            kind=kind,
            value=value,
            declared_by=by,
            declared_at=at,
        )
        for kind, value in sorted(wanted - set(existing))
    )
    record_created(created)


def asks_topics(conference: Conference) -> bool:
    """Whether authors choose topics: only when the chairs listed some."""
    return conference.topics.exists()


def asks_declaration(conference: Conference) -> bool:
    """Whether authors declare the paper was not accepted at the host
    conference: only a workshop held at one (its host venue) asks."""
    return bool(conference.host_venue.strip())


def submit_problems(
    data: SubmissionData,
    *,
    conference: Conference,
    version: SubmissionVersion | None,
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
    if not data.topics and asks_topics(conference):
        problems.append("Choose at least one topic.")
    if not data.not_accepted_at_main and asks_declaration(conference):
        problems.append(
            "Declare that the paper has not been accepted at the main conference."
        )
    if checked is None and version is None:
        problems.append("Submitting needs the paper PDF.")
    return problems


def save_submission(
    submission: Submission | None,
    data: SubmissionData,
    *,
    conference: Conference,
    by: User,
    pdf: UploadedFile | None = None,
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
    anything is written. Side effects: a new SubmissionVersion and reviewer copy for a
    new PDF; an email to each newly listed co-author; a Receipt and a receipt
    email when the submission becomes submitted or a submitted one gets a new PDF.
    Files stored by a transaction that rolls back are removed again (a rollback of
    an enclosing transaction is left to the daily orphan sweep).
    """
    received_at = at or clock.now()
    at = counted_at(started_at=started_at, received_at=received_at)
    submission_settings = SubmissionSettings.objects.for_conference(conference)
    is_late = ensure_open(
        submission,
        conference=conference,
        at=at,
        submission_settings=submission_settings,
    )
    checked = spooled = None
    try:
        if pdf is not None:
            checked = check_upload(
                pdf,
                authors=data.authors,
                conference=conference,
                submission_settings=submission_settings,
                declared_main_body_pages=data.main_body_pages,
            )
        if supplementary is not None:
            spooled = check_supplementary(
                supplementary,
                submission_settings=submission_settings,
                authors=data.authors,
            )
        version = submission.current_version if submission else None
        if submit:
            problems = submit_problems(
                data, conference=conference, version=version, checked=checked
            )
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
    save_authors(submission, data.authors, by=by)
    _save_conflicts(submission, data.conflicts, by=by, at=at)
    if checked is not None:
        store_version(
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
        store_supplementary(submission, spooled, by=by, at=at, stored=stored)
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
        send_receipt(submission, at=at, is_late=is_late)
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
    problems = submit_problems(
        data_of(submission),
        conference=submission.conference,
        version=submission.current_version,
    )
    if problems:
        raise ValidationError(problems, code="incomplete")
    submission.state = Submission.State.SUBMITTED
    submission.submitted_at = at
    submission.is_late = submission.is_late or is_late
    submission.save(update_fields=["state", "submitted_at", "is_late", "updated_at"])
    send_receipt(submission, at=at, is_late=is_late)
    return submission


def data_of(submission: Submission) -> SubmissionData:
    """The submission as SubmissionData (what a form would send unchanged)."""
    return SubmissionData(
        title=submission.title,
        abstract=submission.abstract,
        keywords=submission.keywords,
        topics=list(submission.topics.all()),
        authors=[
            {
                "name": a.name,
                "email": a.email,
                "affiliation": a.affiliation,
                "orcid": a.orcid,
            }
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
@audit.action("submission.restored")  # not "submitted": it was submitted before
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

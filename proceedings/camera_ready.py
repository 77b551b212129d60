"""Camera-ready: `save_camera_ready` takes the authors' final details and PDF until
the camera-ready deadline (the submission's extension, if later; the chairs' grace
period flags it late), with the camera-ready PDF checks (authors must be named; the
camera-ready page limit).
"""

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from decisions.notification import camera_ready_deadline, recipients_of
from haet import clock
from haet.deadlines import Window, describe_deadline, extended, to_the_second
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from proceedings.models import CameraReady, CameraReadyExtension, CameraReadyVersion
from submissions.arxiv import clean_arxiv_url
from submissions.deadlines import DeadlinePassed
from submissions.models import Submission, SubmissionSettings
from submissions.pdfcheck import CheckReport, check_pdf
from submissions.versions import (
    UploadRejected,
    identities,
    spool_upload,
    too_large_message,
)


def camera_ready_page_limit(conference: Conference) -> int:
    return conference.camera_ready_page_limit or conference.page_limit


def camera_ready_window(
    submission: Submission,
    *,
    conference: Conference,
    submission_settings: SubmissionSettings | None = None,
) -> Window:
    """The camera-ready deadline of one submission: the conference's, or its
    latest extension if later; the chairs' grace period as for submissions."""
    submission_settings = (
        submission_settings or SubmissionSettings.objects.for_conference(conference)
    )
    deadline = camera_ready_deadline(conference)
    extensions = list(submission.camera_ready_extensions.all())
    if extensions:
        latest = max(extensions, key=lambda e: (e.granted_at, e.pk)).until
        deadline = extended(deadline, latest)
    return Window(closes_at=deadline, grace=submission_settings.grace)


def ensure_camera_ready_open(
    submission: Submission, *, conference: Conference, at: datetime
) -> bool:
    window = camera_ready_window(submission, conference=conference)
    if window.closes_at is not None and not window.is_open(at):
        raise DeadlinePassed(
            "The camera-ready deadline has passed: changes were accepted until "
            f"{describe_deadline(window.closes_at, conference)}. Nothing was changed.",
            code="deadline_passed",
        )
    return window.is_late(at)


@dataclass
class CameraReadyData:
    title: str
    authors: list[dict]  # name, email, affiliation
    include_in_proceedings: bool = False
    copyright_accepted: bool = False
    arxiv_url: str = ""


def camera_ready_data(submission: Submission) -> CameraReadyData:
    """What the form starts from: the saved camera-ready, else the submission."""
    try:
        camera = submission.camera_ready
    except CameraReady.DoesNotExist:
        camera = None
    if camera is not None:
        return CameraReadyData(
            title=camera.title,
            authors=list(camera.authors),
            include_in_proceedings=camera.include_in_proceedings,
            copyright_accepted=camera.copyright_accepted_at is not None,
            arxiv_url=camera.arxiv_url,
        )
    return CameraReadyData(
        title=submission.title,
        authors=[
            {"name": a.name, "email": a.email, "affiliation": a.affiliation}
            for a in sorted(submission.authors.all(), key=lambda a: (a.order, a.pk))
        ],
        include_in_proceedings=submission.include_in_proceedings,
        arxiv_url=submission.arxiv_url,
    )


def check_camera_ready(
    path: Path,
    *,
    authors: list[dict],
    conference: Conference,
    submission_settings: SubmissionSettings,
) -> CheckReport:
    """The camera-ready checks: the authors must be named (a warning when no name
    is on page 1) and the camera-ready page limit applies."""
    return check_pdf(
        str(path),
        authors=identities(authors),
        page_limit=camera_ready_page_limit(conference),
        max_bytes=submission_settings.max_bytes,
        max_pages=submission_settings.max_pages,
        mode="camera_ready",
    )


def _clean_data(data: CameraReadyData) -> CameraReadyData:
    problems = []
    title = " ".join(data.title.split())
    authors = []
    seen = set()
    for author in data.authors:
        name = (author.get("name") or "").strip()
        email = (author.get("email") or "").strip().lower()
        if not name:
            continue
        if email and email in seen:
            problems.append(f"{email} is listed twice.")
        seen.add(email)
        authors.append(
            {
                "name": name,
                "email": email,
                "affiliation": (author.get("affiliation") or "").strip(),
            }
        )
    if not title:
        problems.append("Give the final title.")
    if not authors:
        problems.append("List at least one author.")
    if data.include_in_proceedings and not data.copyright_accepted:
        problems.append(
            "To be included in the proceedings, accept the licence to publish "
            "(copyright stays with you)."
        )
    try:  # only arXiv's own identifiers: the link goes into proceedings.bib
        arxiv = clean_arxiv_url(data.arxiv_url)
    except ValidationError as error:
        arxiv = ""
        problems.extend(error.messages)
    if problems:
        raise ValidationError(problems, code="invalid")
    return CameraReadyData(
        title=title,
        authors=authors,
        include_in_proceedings=data.include_in_proceedings,
        copyright_accepted=data.copyright_accepted,
        arxiv_url=arxiv,
    )


def save_camera_ready(
    submission: Submission,
    data: CameraReadyData,
    *,
    by: User,
    pdf: UploadedFile | None = None,
    at: datetime | None = None,
) -> CameraReady:
    """Save the final details and, optionally, a new camera-ready PDF.

    Order: permission, deadline, details, PDF checks; any refusal raises
    (PermissionDenied, DeadlinePassed, ValidationError, UploadRejected) and changes
    nothing. Complete (`submitted_at`) once a PDF is in. Side effects: a new
    CameraReadyVersion per accepted PDF; a receipt mail to each author per PDF
    (`camera-ready-receipt:<submission pk>:<sha256>:<email>`, so saving the same
    file again mails nothing).
    """
    at = at or clock.now()
    conference = Conference.objects.get(pk=submission.conference_id)
    submission.conference = conference
    if not by.has_perm("decisions.edit_camera_ready", submission):
        raise PermissionDenied
    is_late = ensure_camera_ready_open(submission, conference=conference, at=at)
    data = _clean_data(data)
    submission_settings = SubmissionSettings.objects.for_conference(conference)
    spooled = report = None
    try:
        if pdf is not None:
            spooled = spool_upload(
                pdf, max_bytes=submission_settings.max_bytes, suffix=".pdf"
            )
            if spooled is None:
                raise UploadRejected(
                    CheckReport.failed(
                        "too_large", too_large_message(submission_settings.max_bytes)
                    )
                )
            report = check_camera_ready(
                spooled[0],
                authors=data.authors,
                conference=conference,
                submission_settings=submission_settings,
            )
            if not report.ok or report.errors:
                raise UploadRejected(report)
        with transaction.atomic():
            return _write_camera_ready(
                submission,
                data,
                by=by,
                at=at,
                is_late=is_late,
                spooled=spooled,
                report=report,
                filename=os.path.basename(pdf.name or "camera-ready.pdf")[:255]
                if pdf is not None
                else "",
            )
    finally:
        if spooled is not None:
            with contextlib.suppress(FileNotFoundError):
                spooled[0].unlink()


def _write_camera_ready(
    submission: Submission,
    data: CameraReadyData,
    *,
    by: User,
    at: datetime,
    is_late: bool,
    spooled: tuple[Path, str, int] | None,
    report: CheckReport | None,
    filename: str,
) -> CameraReady:
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    camera, _ = CameraReady.objects.get_or_create(
        submission=submission, defaults={"title": data.title}
    )
    camera.title = data.title
    camera.authors = data.authors
    camera.include_in_proceedings = data.include_in_proceedings
    if data.copyright_accepted:
        camera.copyright_accepted_at = camera.copyright_accepted_at or at
    else:
        camera.copyright_accepted_at = None
    camera.arxiv_url = data.arxiv_url
    camera.confirmed_by = by
    if spooled is not None and report is not None:  # set together
        path, sha256, size = spooled
        version = CameraReadyVersion(
            camera_ready=camera,
            original_filename=filename,
            sha256=sha256,
            size=size,
            page_count=report.pages,
            main_body_pages=report.main_body_pages,
            check_report=report.to_dict(),
            is_late=is_late,
            uploaded_by=by,
            uploaded_at=at,
        )
        with open(path, "rb") as f:
            version.file.save("camera-ready.pdf", File(f), save=False)
        version.save()
        camera.current_version = version
    camera.is_late = camera.is_late or (is_late and spooled is not None)
    if camera.current_version_id and camera.submitted_at is None:
        camera.submitted_at = at
    # Everything but the slides and poster, which their own form saves.
    camera.save(
        update_fields=[
            f.name
            for f in CameraReady._meta.concrete_fields
            if not f.primary_key and f.name not in ("slides", "poster", "submission")
        ]
    )
    if camera.current_version is not None:
        _send_camera_ready_receipt(submission, camera)
    return camera


def _send_camera_ready_receipt(submission: Submission, camera: CameraReady) -> None:
    """One receipt per (submission, PDF, author): saving again with the same file
    mails nothing new; a different file mails everyone once more."""
    version = camera.current_version
    if version is None:  # never: called once a version is saved
        return
    local, in_utc = to_the_second(version.uploaded_at, submission.conference)
    for recipient in recipients_of(submission):
        queue_mail(
            to=recipient.to,
            template="camera_ready_receipt",
            context={
                "recipient_name": recipient.name or recipient.email,
                "submission_number": submission.number,
                "title": camera.title,
                "received_local": local,
                "received_utc": in_utc,
                "sha256": version.sha256,
                "size": version.size,
                "pages": version.page_count,
                "is_late": version.is_late,
                "path": reverse("decisions:camera-ready", args=[submission.number]),
            },
            dedupe_key=f"camera-ready-receipt:{submission.pk}:{version.sha256}:"
            f"{recipient.email}",
            submissions=[submission],
        )


def grant_camera_ready_extension(
    submission: Submission, *, until: datetime, reason: str = "", by: User
) -> CameraReadyExtension:
    """Let one submission's camera-ready change until `until` (exclusive)."""
    if not by.has_perm("decisions.decide", submission):
        raise PermissionDenied
    return CameraReadyExtension.objects.create(
        submission=submission,
        until=until,
        reason=reason.strip(),
        granted_by=by,
        granted_at=clock.now(),
    )

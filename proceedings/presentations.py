"""Presentations: the slides or poster of an accepted submission."""

import contextlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from haet.models import User
from proceedings.camera_ready import camera_ready_data
from proceedings.models import CameraReady
from submissions.models import Submission, SubmissionSettings
from submissions.versions import spool_upload, too_large_message

PRESENTATION_KINDS = ("slides", "poster")


@transaction.atomic
def upload_presentation(
    submission: Submission,
    kind: str,
    upload: UploadedFile,
    *,
    by: User,
) -> CameraReady:
    """Slides or poster (one PDF each; a new upload replaces the old), any time
    after acceptance: they are often ready only just before the workshop."""
    if kind not in PRESENTATION_KINDS:
        raise ValidationError(f"Unknown kind {kind!r}.")
    if not by.has_perm("decisions.edit_camera_ready", submission):
        raise PermissionDenied
    submission_settings = SubmissionSettings.objects.for_conference(
        submission.conference
    )
    spooled = spool_upload(
        upload, max_bytes=submission_settings.supplementary_max_bytes, suffix=".pdf"
    )
    if spooled is None:
        raise ValidationError(
            too_large_message(submission_settings.supplementary_max_bytes, "The file")
        )
    path = spooled[0]
    try:
        with open(path, "rb") as f:
            if not f.read(5).startswith(b"%PDF-"):
                raise ValidationError(f"The {kind} must be a PDF file.")
        # Slides may come before the camera-ready form is ever saved: the new row
        # starts from everything that form would show (the submission's proceedings
        # choice and arXiv link too), so the upload changes nothing but the file.
        start = camera_ready_data(submission)
        camera, _ = CameraReady.objects.get_or_create(
            submission=submission,
            defaults={
                "title": start.title,
                "authors": start.authors,
                "include_in_proceedings": start.include_in_proceedings,
                "arxiv_url": start.arxiv_url,
            },
        )
        with open(path, "rb") as f:
            getattr(camera, kind).save(f"{kind}.pdf", File(f), save=False)
        camera.save(update_fields=[kind])  # never the camera-ready form's fields
        return camera
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

"""The camera-ready versions of accepted submissions and their presentations.

- `CameraReady` (+ `CameraReadyVersion`, every accepted upload kept; the slides
  and poster of the presentation) and `CameraReadyExtension` (the camera-ready
  deadline of one submission, as `submissions.DeadlineExtension` is for the
  submission deadline).

Moved from the decisions app without touching the database: the tables keep
their `decisions_*` names (proceedings/migrations/0001 only changes the state).
"""

from django.conf import settings
from django.db import models

from haet.models import BaseModel
from submissions.models import (
    GrantedExtension,
    Submission,
    private_storage,
    random_name,
)


def camera_ready_path(instance: models.Model, filename: str) -> str:
    return random_name("camera-ready", "pdf")


def slides_path(instance: models.Model, filename: str) -> str:
    return random_name("slides", "pdf")


def poster_path(instance: models.Model, filename: str) -> str:
    return random_name("posters", "pdf")


class CameraReady(BaseModel):
    """The final version of an accepted submission, as its authors confirm it."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="camera_ready"
    )
    title = models.CharField(max_length=250)
    # [{"name", "email", "affiliation"}, ...] in order: what the proceedings print.
    authors = models.JSONField(default=list)
    include_in_proceedings = models.BooleanField(default=False)
    copyright_accepted_at = models.DateTimeField(null=True, blank=True)
    arxiv_url = models.URLField("arXiv link", blank=True)
    current_version = models.ForeignKey(
        "CameraReadyVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    slides = models.FileField(
        storage=private_storage, upload_to=slides_path, blank=True
    )
    poster = models.FileField(
        storage=private_storage, upload_to=poster_path, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When it became complete (PDF, confirmed details, licence if in proceedings).
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)

    class Meta:
        db_table = "decisions_cameraready"
        ordering = ["submission__number"]

    def __str__(self) -> str:
        return f"Camera-ready of #{self.submission_id}"

    @property
    def is_complete(self) -> bool:
        return self.submitted_at is not None

    @property
    def author_names(self) -> list[str]:
        return [a.get("name", "") for a in self.authors]

    @property
    def affiliations(self) -> list[str]:
        return list(
            dict.fromkeys(
                a["affiliation"] for a in self.authors if a.get("affiliation")
            )
        )


class CameraReadyVersion(models.Model):
    """An accepted camera-ready upload; never changed or deleted afterwards."""

    camera_ready = models.ForeignKey(
        CameraReady, on_delete=models.CASCADE, related_name="versions"
    )
    file = models.FileField(storage=private_storage, upload_to=camera_ready_path)
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    main_body_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    check_report = models.JSONField(default=dict)
    is_late = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        db_table = "decisions_camerareadyversion"
        ordering = ["camera_ready", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.camera_ready} {self.sha256[:12]}"

    @property
    def warnings(self) -> list[dict]:
        return list(self.check_report.get("warnings", []))


class CameraReadyExtension(GrantedExtension):
    """An extension of one submission's camera-ready deadline."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="camera_ready_extensions"
    )

    class Meta(GrantedExtension.Meta):
        db_table = "decisions_camerareadyextension"

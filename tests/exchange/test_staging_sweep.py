"""Files staged on the chairs' import page: removed once imported, and swept
(hourly, by beat) once abandoned for IMPORT_STAGING_MAX_AGE_HOURS."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exchange.imports.staging import stage, staged_data, sweep_staged
from exchange.models import StagedUpload
from exchange.tasks import sweep_staged_uploads
from haet.audit.models import AuditEntry
from haet.celery import app
from haet.jobs.models import Job

pytestmark = pytest.mark.django_db

HOUR = 60 * 60
SAMPLES = Path(__file__).parent / "samples" / "easychair"
ADA = b"#,title\n1,Ada's data\n"


def staged_files(root) -> set[str]:
    folder = root / "import-staging"
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def age(token: str, root, *, hours: float) -> None:
    """Make a staged upload (its row and its files) this many hours old."""
    StagedUpload.objects.filter(token=token).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )
    moment = time.time() - hours * HOUR
    for path in (root / "import-staging" / token).rglob("*"):
        os.utime(path, (moment, moment))


def test_old_uploads_are_swept_fresh_ones_kept_and_twice_is_harmless(
    chair, settings, django_capture_on_commit_callbacks
):
    root = settings.PRIVATE_STORAGE_ROOT
    old = stage([("submission.csv", ADA)], [("7.pdf", b"%PDF-1.4\n")], by=chair)
    fresh = stage([("submission.csv", ADA)], [], by=chair)
    age(old, root, hours=25)
    age(fresh, root, hours=23)

    with django_capture_on_commit_callbacks(execute=True):
        first = sweep_staged_uploads()
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep_staged_uploads()

    assert (first, second) == (1, 0)
    assert list(StagedUpload.objects.values_list("token", flat=True)) == [fresh]
    assert staged_files(root) == {f"{fresh}/data/submission.csv"}
    assert not (root / "import-staging" / old).exists()  # no empty folders left
    assert staged_data(old) == []
    assert staged_data(fresh) == [("submission.csv", ADA)]


def test_the_age_is_a_setting(chair, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_STAGING_MAX_AGE_HOURS = 2
    token = stage([("submission.csv", ADA)], [], by=chair)
    age(token, settings.PRIVATE_STORAGE_ROOT, hours=3)

    with django_capture_on_commit_callbacks(execute=True):
        swept = sweep_staged()

    assert swept == [token]
    assert not StagedUpload.objects.exists()


def test_old_files_without_a_row_are_swept_too(
    settings, django_capture_on_commit_callbacks
):
    # Staged by a request whose transaction rolled back: files, no row.
    root = settings.PRIVATE_STORAGE_ROOT
    old = stage([("submission.csv", ADA)], [])
    fresh = stage([("submission.csv", ADA)], [])
    StagedUpload.objects.all().delete()
    age(old, root, hours=30)

    with django_capture_on_commit_callbacks(execute=True):
        swept = sweep_staged()

    assert swept == [old]
    assert staged_files(root) == {f"{fresh}/data/submission.csv"}


def test_the_sweep_is_in_the_audit_log(
    chair, settings, django_capture_on_commit_callbacks
):
    token = stage([("submission.csv", ADA)], [], by=chair)
    row = StagedUpload.objects.get(token=token)
    age(token, settings.PRIVATE_STORAGE_ROOT, hours=48)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_staged()

    created, deleted = AuditEntry.objects.filter(
        object_type="exchange.stagedupload", object_id=row.pk
    ).order_by("pk")
    assert (created.action, created.actor_id) == ("staged_upload.created", None)
    assert (deleted.action, deleted.actor_id) == ("exchange.staged_upload_swept", None)
    # The token (the folder's key) stays out of the log.
    assert sorted(deleted.before) == ["created_by", "file_count"]
    assert (deleted.before["created_by"], deleted.before["file_count"]) == (chair.pk, 1)


def test_the_sweep_runs_hourly_by_beat():
    entry = app.conf.beat_schedule["exchange-staged-uploads"]
    assert (entry["task"], entry["schedule"]) == (
        "exchange.tasks.sweep_staged_uploads",
        3600.0,
    )


def test_an_applied_import_removes_its_staged_files(
    client, conference, chair, settings, django_capture_on_commit_callbacks
):
    root = settings.PRIVATE_STORAGE_ROOT
    client.force_login(chair)
    files = [
        SimpleUploadedFile(name, (SAMPLES / name).read_bytes())
        for name in ("submission.csv", "author.csv")
    ]
    dry = client.post(
        reverse("exchange:import"), {"source": "easychair", "files": files}
    )
    token = dry.context["token"]
    assert StagedUpload.objects.get(token=token).created_by == chair
    assert len(staged_files(root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import-confirm"),
            {"source": "easychair", "token": token, "topic_map": ""},
        )

    assert Job.objects.get().status == Job.Status.DONE
    assert not StagedUpload.objects.exists()
    assert staged_files(root) == set()


def test_a_confirmed_import_restarts_the_age(
    client, conference, chair, settings, django_capture_on_commit_callbacks
):
    # The job may wait for a worker: the sweep must not take its files meanwhile.
    client.force_login(chair)
    upload = SimpleUploadedFile(
        "submission.csv", (SAMPLES / "submission.csv").read_bytes()
    )
    dry = client.post(
        reverse("exchange:import"), {"source": "easychair", "files": [upload]}
    )
    token = dry.context["token"]
    StagedUpload.objects.update(created_at=timezone.now() - timedelta(hours=30))

    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("exchange:import-confirm"),
            {"source": "easychair", "token": token, "topic_map": ""},
        )
    swept = sweep_staged()

    assert swept == []
    assert StagedUpload.objects.filter(token=token).exists()


def test_the_reviewer_list_import_removes_its_staged_file(
    client, conference, chair, settings, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    reviewers = Path(__file__).parent / "samples" / "reviewers.csv"
    dry = client.post(
        reverse("exchange:import-reviewers"),
        {"file": SimpleUploadedFile("reviewers.csv", reviewers.read_bytes())},
    )
    token = dry.context["token"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import-reviewers"),
            {"token": token, "role": dry.context["plan"].role, "confirm": "1"},
        )

    assert not StagedUpload.objects.exists()
    assert staged_files(settings.PRIVATE_STORAGE_ROOT) == set()

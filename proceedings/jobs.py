"""Proceedings' background jobs (haet.jobs): the chairs' camera-ready reminder,
which renders and queues one mail per author of every acceptance still missing
its camera-ready, thousands on a large conference."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind, start_job
from haet.models import Conference, User
from proceedings.reminders import remind_missing_camera_ready

REMIND = "proceedings.remind_camera_ready"
MANAGE = "decisions.manage"


def start_camera_ready_reminder(*, by: User) -> Job:
    """Remind the authors of every missing camera-ready in the background
    (`remind_missing_camera_ready`: at most once a day per author, so a second job
    the same day sends nothing). Side effects: a Job."""
    return start_job(REMIND, by=by)


def _remind(job: Job, progress: Progress) -> dict:
    by = job.created_by
    if by is None or not by.has_perm(MANAGE):
        raise ValidationError("The person who started this job is no longer a chair.")
    progress(2, "Finding the missing camera-ready versions")
    sent = remind_missing_camera_ready(
        Conference.objects.current(), by=by, progress=progress
    )
    if sent:
        summary = [f"{sent} reminder mails queued."]
    else:
        summary = [
            "No reminder sent: no author of a released acceptance is missing "
            "a camera-ready, or each was reminded today already."
        ]
    return {
        "summary": summary,
        "link": {
            "url": reverse("decisions:camera-ready-progress"),
            "label": "Back to the camera-ready progress",
        },
    }


def _back(job: Job) -> tuple[str, str]:
    return reverse("decisions:camera-ready-progress"), "Camera-ready progress"


def register() -> None:
    register_job_kind(
        REMIND,
        run=_remind,
        title="Reminding authors of missing camera-ready versions",
        permission=MANAGE,
        # At most one reminder per author and day (the outbox's dedupe key): running
        # it again sends nothing twice.
        retry_safe=True,
        back=_back,
    )

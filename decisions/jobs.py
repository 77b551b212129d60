"""Decisions' background jobs (haet.jobs): releasing decisions, which renders and
queues one mail per author per submission, thousands on a large conference."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from decisions.release import release_decisions
from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind, start_job
from haet.models import Conference, User

RELEASE = "decisions.release"
MANAGE = "decisions.manage"


def start_release(tokens: list[str], *, by: User) -> Job:
    """Release the previewed decisions (`tokens` from `preview_release`) in the
    background, exactly as `release_decisions` does: a decision changed since the
    preview fails the job with that message and sends nothing. Side effects: a Job."""
    return start_job(RELEASE, by=by, params={"tokens": list(tokens)})


def _release(job: Job, progress: Progress) -> dict:
    by = job.created_by
    if by is None or not by.has_perm(MANAGE):
        raise ValidationError("The person who started this job is no longer a chair.")
    progress(2, "Checking the preview")
    result = release_decisions(
        Conference.objects.current(),
        tokens=job.params.get("tokens", []),
        by=by,
        progress=progress,
    )
    if result.released:
        summary = [
            f"Released {len(result.released)} decisions; {result.mail_count} mails "
            "are on their way (see the outbox)."
        ]
    else:
        summary = ["Nothing to release: no mail was sent."]
    return {
        "summary": summary,
        "link": {"url": reverse("decisions:dashboard"), "label": "Back to decisions"},
    }


def _back(job: Job) -> tuple[str, str]:
    return reverse("decisions:release"), "Release decisions"


def register() -> None:
    register_job_kind(
        RELEASE,
        run=_release,
        title="Releasing decisions",
        permission=MANAGE,
        # release_decisions releases only what was previewed and not yet released:
        # running it again sends nothing twice. A changed preview fails with a
        # ValidationError, which offers no "Try again" (preview again instead).
        retry_safe=True,
        back=_back,
    )

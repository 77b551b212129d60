"""Decisions' background jobs (haet.jobs): releasing decisions, which renders and
queues one mail per author per submission, thousands on a large conference; a
confirmed bulk decision and its undo, seconds each on a thousand submissions."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from decisions.deciding import decide_many, undo_bulk_decision
from decisions.models import DECISION_LABELS, Decision
from decisions.release import release_decisions
from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind, start_job
from haet.models import Conference, User
from haet.wording import counted
from submissions.models import Submission

RELEASE = "decisions.release"
BULK_DECIDE = "decisions.bulk_decide"
BULK_UNDO = "decisions.bulk_undo"
MANAGE = "decisions.manage"


def start_release(tokens: list[str], *, by: User) -> Job:
    """Release the previewed decisions (`tokens` from `preview_release`) in the
    background, exactly as `release_decisions` does: a decision changed since the
    preview fails the job with that message and sends nothing. Side effects: a Job."""
    return start_job(RELEASE, by=by, params={"tokens": list(tokens)})


def _acting_chair(job: Job) -> User:
    by = job.created_by
    if by is None or not by.has_perm(MANAGE):
        raise ValidationError("The person who started this job is no longer a chair.")
    return by


def _dashboard(job: Job) -> dict:
    querystring = job.params.get("querystring", "")
    url = reverse("decisions:dashboard") + (f"?{querystring}" if querystring else "")
    return {"url": url, "label": "Back to decisions"}


def start_bulk_decision(
    submissions: list[Submission],
    outcome: str,
    *,
    reason: str,
    confirm_correction: bool,
    querystring: str,
    by: User,
) -> Job:
    """Set the confirmed outcome on `submissions` in the background, exactly as
    `decide_many` does (all or none; undoable until release). Side effects: a Job."""
    return start_job(
        BULK_DECIDE,
        by=by,
        params={
            "submissions": [s.pk for s in submissions],
            "outcome": outcome,
            "reason": reason,
            "confirm_correction": confirm_correction,
            "bulk_id": str(uuid.uuid4()),
            "querystring": querystring,
        },
    )


def _bulk_decide(job: Job, progress: Progress) -> dict:
    by = _acting_chair(job)
    params = job.params
    progress(2, "Checking the submissions")
    submissions = list(
        Submission.objects.filter(pk__in=params.get("submissions", [])).order_by(
            "number"
        )
    )
    previous = {
        d.submission_id: (d.outcome, d.reason)
        for d in Decision.objects.filter(submission__in=submissions)
    }
    try:
        decided = decide_many(
            submissions,
            params["outcome"],
            reason=params.get("reason", ""),
            by=by,
            confirm_correction=bool(params.get("confirm_correction")),
            bulk_id=uuid.UUID(params["bulk_id"]),
            progress=progress,
        )
    except PermissionDenied as error:  # a conflict declared since the confirmation
        raise ValidationError(
            "A submission you chose is now one you may not decide: nothing was "
            "changed. Choose again from the dashboard."
        ) from error
    changed = [
        d for d in decided if previous.get(d.submission_id) != (d.outcome, d.reason)
    ]
    numbers = ", ".join(f"#{d.submission.number}" for d in changed)
    label = DECISION_LABELS[params["outcome"]]
    count = len(changed)
    plural = "" if count == 1 else "s"
    return {
        "summary": [
            (f"{label}: {numbers}. " if changed else f"{label}: ")
            + f"{count} decision{plural} changed."
            + (" You can undo this until the release." if changed else "")
        ],
        "link": _dashboard(job),
    }


def start_bulk_undo(bulk_id: uuid.UUID, *, querystring: str, by: User) -> Job:
    """Undo one of `by`'s bulk decisions in the background (`undo_bulk_decision`:
    restores only what is still as it set). Side effects: a Job."""
    return start_job(
        BULK_UNDO,
        by=by,
        params={"bulk_id": str(bulk_id), "querystring": querystring},
    )


def _bulk_undo(job: Job, progress: Progress) -> dict:
    by = _acting_chair(job)
    progress(2, "Finding the bulk decision")
    result = undo_bulk_decision(
        uuid.UUID(job.params["bulk_id"]), by=by, progress=progress
    )
    summary = []
    if result.restored:
        summary.append(
            "Undone: "
            + ", ".join(f"#{n}" for n in result.restored)
            + " are back to their previous decision."
        )
    if result.kept:
        summary.append(
            "Kept as they are (changed, released or withdrawn since): "
            + ", ".join(f"#{n}" for n in result.kept)
            + "."
        )
    return {"summary": summary, "link": _dashboard(job)}


def _back_to_dashboard(job: Job) -> tuple[str, str]:
    return _dashboard(job)["url"], "Decisions"


def _release(job: Job, progress: Progress) -> dict:
    by = _acting_chair(job)
    progress(2, "Checking the preview")
    result = release_decisions(
        Conference.objects.current(),
        tokens=job.params.get("tokens", []),
        by=by,
        progress=progress,
    )
    if result.released:
        summary = [
            f"Released {counted(len(result.released), 'decision')}; "
            f"{counted(result.mail_count, 'mail')} "
            f"{'is on its' if result.mail_count == 1 else 'are on their'} way "
            "(see the outbox)."
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
        BULK_DECIDE,
        run=_bulk_decide,
        title="Deciding in bulk",
        permission=MANAGE,
        # A failed bulk decision changed nothing, but the chair confirmed it for the
        # decisions as they were then: confirm again from the dashboard instead.
        retry_safe=False,
        back=_back_to_dashboard,
    )
    register_job_kind(
        BULK_UNDO,
        run=_bulk_undo,
        title="Undoing a bulk decision",
        permission=MANAGE,
        # Undo restores only what is still as the bulk decision set it: running it
        # again restores nothing twice.
        retry_safe=True,
        back=_back_to_dashboard,
    )
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

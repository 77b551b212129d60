"""Retention: the files of rejected and withdrawn submissions, and every reviewer
copy, are purged a chosen number of months after the workshop.

`preview` lists what would go (what this chair may see); `purge` removes the
files from storage and empties their fields, leaving each version row with its
`purged_at` note (pages then say "purged on …" instead of linking a file). The
purge runs as a job (`start_purge`, kind PURGE) and refuses to run before the
purge date. Idempotent: a purged file is not found again.
"""

import calendar
import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from decisions.models import Decision, Outcome
from exchange.models import RetentionPolicy
from haet import audit, clock
from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind, start_job
from haet.models import Conference, ImportantDate, User
from haet.wording import counted
from submissions.models import Submission, SubmissionVersion, SupplementaryFile

PURGE = "exchange.purge"
CHAIRS = "haet.manage_conference"
REJECTED = (Outcome.REJECT, Outcome.DESK_REJECT)


def policy_for(conference: Conference) -> RetentionPolicy:
    policy, _ = RetentionPolicy.objects.get_or_create(conference=conference)
    return policy


@transaction.atomic
def save_policy(
    conference: Conference,
    *,
    months_after_workshop: int | None,
    purge_rejected: bool,
    purge_withdrawn: bool,
    purge_reviewer_copies: bool,
    by: User,
) -> RetentionPolicy:
    policy = policy_for(conference)
    policy.months_after_workshop = months_after_workshop
    policy.purge_rejected = purge_rejected
    policy.purge_withdrawn = purge_withdrawn
    policy.purge_reviewer_copies = purge_reviewer_copies
    policy.full_clean()
    policy.save()
    return policy


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def purge_date(policy: RetentionPolicy) -> datetime | None:
    """When the files may go; None when the policy is off or there is no
    workshop date."""
    workshop = policy.conference.date(ImportantDate.Kind.WORKSHOP)
    if policy.months_after_workshop is None or workshop is None:
        return None
    return add_months(workshop.at, policy.months_after_workshop)


@dataclass(frozen=True)
class PurgeItem:
    submission_number: int
    title: str
    what: str  # "paper", "reviewer copy", "supplementary", "supplementary copy"
    why: str
    file_name: str


def _gone_ids(policy: RetentionPolicy) -> dict[int, str]:
    """Submissions whose every file goes, with the reason."""
    gone: dict[int, str] = {}
    if policy.purge_withdrawn:
        for pk in Submission.objects.filter(
            state=Submission.State.WITHDRAWN
        ).values_list("pk", flat=True):
            gone[pk] = "withdrawn"
    if policy.purge_rejected:
        for pk in (
            Decision.objects.released()
            .filter(outcome__in=REJECTED)
            .values_list("submission_id", flat=True)
        ):
            gone.setdefault(pk, "rejected")
    return gone


FileRow = SubmissionVersion | SupplementaryFile


def _items(
    policy: RetentionPolicy, submissions: Q
) -> list[tuple[PurgeItem, FileRow, str]]:
    """(item, row, field name) for every file the policy removes."""
    gone = _gone_ids(policy)
    found: list[tuple[PurgeItem, FileRow, str]] = []
    files: list[tuple[str, type[SubmissionVersion | SupplementaryFile], str]] = [
        ("original", SubmissionVersion, "paper"),
        ("reviewer_copy", SubmissionVersion, "reviewer copy"),
        ("file", SupplementaryFile, "supplementary"),
        ("reviewer_copy", SupplementaryFile, "supplementary copy"),
    ]
    for field_name, model, label in files:
        every_row = field_name == "reviewer_copy" and policy.purge_reviewer_copies
        if not gone and not every_row:
            continue
        which = Q() if every_row else Q(submission_id__in=list(gone))
        queryset = (
            model.objects.filter(which)
            .filter(submission__in=Submission.objects.filter(submissions))
            .exclude(**{field_name: ""})
            .select_related("submission")
            .order_by("submission__number", "pk")
        )
        for row in queryset:
            why = gone.get(row.submission_id, "reviewer copies are purged")
            item = PurgeItem(
                submission_number=row.submission.number,
                title=row.submission.title,
                what=label,
                why=why,
                file_name=row.original_filename,
            )
            found.append((item, row, field_name))
    found.sort(key=lambda entry: (entry[0].submission_number, entry[0].what))
    return found


def preview(policy: RetentionPolicy, *, viewer: User) -> list[PurgeItem]:
    """What the purge would remove, of the submissions `viewer` may see (a
    conflicted chair sees nothing of their own)."""
    visible = Q(pk__in=Submission.objects.visible_to(viewer).values("pk"))
    return [item for item, _row, _field in _items(policy, visible)]


def purge(
    policy: RetentionPolicy, *, by: User, progress: Progress | None = None
) -> int:
    """Remove the files; return how many. Refuses before the purge date.
    Side effects: files deleted from storage, their fields emptied and
    `purged_at` set on the rows, `last_purged_at` on the policy."""
    when = purge_date(policy)
    now = clock.now()
    if when is None:
        raise ValidationError("The retention policy is off: set the months first.")
    if now < when:
        raise ValidationError(f"Files are kept until {when:%d %B %Y}: nothing purged.")
    items = _items(policy, Q())
    # The audit log (haet.audit) gets one named entry per file: a bulk update is
    # seen by no signal. Each names its submission, so conflicted chairs skip it.
    for index, (item, row, field_name) in enumerate(items):
        if progress is not None and index % 50 == 0:
            progress(5 + 90 * index // max(len(items), 1), f"Purging {index + 1}")
        field_file = getattr(row, field_name)
        with contextlib.suppress(FileNotFoundError):
            field_file.storage.delete(field_file.name)
        type(row).objects.filter(pk=row.pk).update(**{field_name: "", "purged_at": now})
        audit.record(
            "retention.file_purged",
            row,
            submission_id=row.submission_id,
            before={"file": field_file.name},
            after={"what": item.what, "why": item.why},
        )
    RetentionPolicy.objects.filter(pk=policy.pk).update(last_purged_at=now)
    return len(items)


def start_purge(policy: RetentionPolicy, *, by: User) -> Job:
    """Purge in the background. Side effects: a Job."""
    when = purge_date(policy)
    if when is None:
        raise ValidationError("The retention policy is off: set the months first.")
    if clock.now() < when:
        raise ValidationError(f"Files are kept until {when:%d %B %Y}: nothing purged.")
    return start_job(PURGE, by=by, params={"policy": policy.pk})


def _purge(job: Job, progress: Progress) -> dict:
    by = job.created_by
    if by is None or not by.has_perm(CHAIRS):
        raise ValidationError("The person who started this job is no longer a chair.")
    policy = (
        RetentionPolicy.objects.select_related("conference")
        .filter(pk=job.params.get("policy"))
        .first()
    )
    if policy is None:
        raise ValidationError("The retention policy no longer exists.")
    visible = len(preview(policy, viewer=by))
    purge(policy, by=by, progress=progress)
    return {
        "summary": [
            f"Purged {counted(visible, 'file')} of the submissions you can see, and "
            "those of any other submission the policy covers.",
            f"Logged on {clock.now():%d %B %Y %H:%M} UTC.",
        ],
        "link": {"url": reverse("exchange:retention"), "label": "Back to retention"},
    }


def _back(job: Job) -> tuple[str, str]:
    return reverse("exchange:retention"), "Retention"


def register() -> None:
    register_job_kind(
        PURGE,
        run=_purge,
        title="Purging files (retention)",
        permission=CHAIRS,
        # Only the starter follows it: the counts name what they may see.
        for_chairs=False,
        retry_safe=True,  # a purged file is not found again
        back=_back,
    )

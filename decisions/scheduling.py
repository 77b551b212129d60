"""Scheduled release of decisions: the previewed set, released by the beat scheduler.

A chair previews the release (`release.preview_release`) and, instead of sending
now, schedules it (`schedule_release`): the preview's tokens are stored with a
time, by default the acceptance notification day at 17:00 in the conference's
zone. Every minute the beat runs `release_due`, which claims each due schedule
with a conditional UPDATE inside the transaction that releases it, so two beats
(or a beat and a retry) release it once; a worker dying mid-way rolls the claim
back with the release and the next minute tries again. The release itself is
`release.release_decisions`, as `scheduled_by` would run it by hand: the same
conflict rule, the same mail dedupe keys, and the same refusal when a decision
changed after the preview; then the schedule is blocked and every chair is told
(one outbox mail each, naming only the submissions they may see, and the
dashboard). `cancel_release` works until the beat has started it.
"""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from decisions.models import Decision, DecisionSettings, ScheduledRelease
from decisions.queries.bulk import last_log_ids
from decisions.release import (
    ReleaseChanged,
    releasable,
    release_decisions,
    release_token,
)
from haet import clock
from haet.audit.registry import record
from haet.deadlines import combine, describe_moment, local_parts
from haet.models import Conference, ImportantDate, User
from haet.outbox.services import queue_mail
from haet.rules import CHAIRS
from reviews.conflicts import conflicted_submission_ids
from submissions.models import Submission

# "The end of the working day" on the notification date, in the conference's zone.
DEFAULT_RELEASE_TIME = time(17, 0)


def default_release_at(conference: Conference) -> datetime | None:
    """The acceptance notification day at 17:00 in the conference's zone."""
    date = conference.date(ImportantDate.Kind.NOTIFICATION)
    if date is None:
        return None
    day, _ = local_parts(date.at, conference)
    return combine(day, DEFAULT_RELEASE_TIME, conference)


def waiting_release(conference: Conference) -> ScheduledRelease | None:
    return (
        ScheduledRelease.objects.filter(
            conference=conference, status=ScheduledRelease.Status.SCHEDULED
        )
        .select_related("scheduled_by")
        .first()
    )


def latest_release(conference: Conference) -> ScheduledRelease | None:
    """What the dashboard reports: the waiting schedule, else the last one that
    ran (released, or blocked and not since overtaken by a release by hand)."""
    latest = (
        ScheduledRelease.objects.filter(conference=conference)
        .exclude(status=ScheduledRelease.Status.CANCELLED)
        .select_related("scheduled_by")
        .order_by("-pk")
        .first()
    )
    if latest is None or latest.status != ScheduledRelease.Status.BLOCKED:
        return latest
    released_since = Decision.objects.filter(
        submission__conference=conference, released_at__gt=latest.started_at
    ).exists()
    return None if released_since else latest


def visible_ids(ids: list[int], *, user: User) -> list[int]:
    hidden = conflicted_submission_ids(user)
    return [pk for pk in ids if pk not in hidden]


def release_tokens(conference: Conference, *, by: User) -> set[str]:
    """The tokens `preview_release` would give `by` now, without rendering mails."""
    decisions, _ = releasable(conference, by=by)
    last_logs = last_log_ids(d.submission_id for d in decisions)
    return {release_token(d, last_logs.get(d.submission_id, 0)) for d in decisions}


@transaction.atomic
def schedule_release(
    conference: Conference,
    *,
    tokens: list[str],
    release_at: datetime,
    by: User,
    at: datetime | None = None,
) -> ScheduledRelease:
    """Schedule the release of the previewed decisions (`tokens`) at `release_at`.

    Refuses (ValidationError) a time not in the future, an empty preview, a
    preview that no longer matches the decisions, and a second waiting schedule
    (cancel that one first). Tokens of submissions `by` is conflicted with are
    dropped, as `release_decisions` would ignore them. Side effects: one
    ScheduledRelease row; nothing is mailed until it runs.
    """
    at = at or clock.now()
    if not by.has_perm("decisions.manage"):
        raise PermissionDenied
    # Serialise with releases and other schedules of this conference.
    decision_settings = DecisionSettings.objects.for_conference(conference)
    DecisionSettings.objects.select_for_update().get(pk=decision_settings.pk)
    if release_at <= at:
        raise ValidationError("Choose a time in the future.", code="past")
    hidden = conflicted_submission_ids(by)
    wanted = [
        t
        for t in dict.fromkeys(tokens)
        if t.partition(":")[0].isdigit() and int(t.partition(":")[0]) not in hidden
    ]
    if not wanted:
        raise ValidationError("Nothing to release.", code="empty")
    if not set(wanted) <= release_tokens(conference, by=by):
        raise ReleaseChanged(
            "Decisions changed since your preview. Nothing was scheduled: "
            "preview again.",
            code="changed",
        )
    if waiting_release(conference) is not None:
        raise ValidationError(
            "A release is already scheduled: cancel it first.", code="scheduled"
        )
    return ScheduledRelease.objects.create(
        conference=conference, release_at=release_at, tokens=wanted, scheduled_by=by
    )


def cancel_release(
    conference: Conference, *, by: User, at: datetime | None = None
) -> ScheduledRelease:
    """Cancel the waiting schedule; refused (ValidationError) once the beat has
    started it. Any chair may cancel: stopping a release reveals nothing and
    releases nothing."""
    at = at or clock.now()
    if not by.has_perm("decisions.manage"):
        raise PermissionDenied
    release = waiting_release(conference)
    # The conditional UPDATE is the guard: on PostgreSQL it waits for a release in
    # progress to commit, then finds it no longer scheduled.
    cancelled = release is not None and ScheduledRelease.objects.filter(
        pk=release.pk, status=ScheduledRelease.Status.SCHEDULED
    ).update(
        status=ScheduledRelease.Status.CANCELLED,
        cancelled_at=at,
        cancelled_by=by,
        updated_at=at,
    )
    if release is None or not cancelled:
        raise ValidationError(
            "No release is waiting: it has already started or was cancelled.",
            code="started",
        )
    release.refresh_from_db()
    # update() sends no signal: the cancellation is logged here.
    record(
        "scheduled_release.cancelled",
        release,
        before={"status": ScheduledRelease.Status.SCHEDULED},
        after={"status": release.status, "cancelled_by": by.pk},
    )
    return release


def release_due(*, at: datetime | None = None) -> list[int]:
    """Run every schedule whose time has come (the beat task, every minute).
    Returns the ids of the schedules this call ran; idempotent."""
    at = at or clock.now()
    due = ScheduledRelease.objects.filter(
        status=ScheduledRelease.Status.SCHEDULED, release_at__lte=at
    ).values_list("pk", flat=True)
    return [pk for pk in list(due) if run_scheduled_release(pk, at=at)]


@transaction.atomic
def run_scheduled_release(pk: int, *, at: datetime) -> bool:
    """Claim one due schedule and release it; False if another run has it.

    Side effects: those of `release_decisions` (decisions released, author mails
    after commit); when refused, the schedule is blocked and each chair gets one
    mail (`release-blocked:<schedule pk>:<chair pk>`)."""
    claimed = ScheduledRelease.objects.filter(
        pk=pk, status=ScheduledRelease.Status.SCHEDULED, release_at__lte=at
    ).update(status=ScheduledRelease.Status.STARTED, started_at=at, updated_at=at)
    if not claimed:
        return False
    release = ScheduledRelease.objects.select_related("conference", "scheduled_by").get(
        pk=pk
    )
    try:
        result = release_decisions(
            release.conference, tokens=release.tokens, by=release.scheduled_by, at=at
        )
    except ReleaseChanged as error:
        release.changed_submission_ids = error.submission_ids
        release.problem = "Decisions changed after the preview."
    except PermissionDenied:
        release.problem = (
            f"{release.scheduled_by.display_name}, who scheduled it, is no "
            "longer a chair."
        )
    else:
        release.status = ScheduledRelease.Status.RELEASED
        release.released_count = len(result.released)
        release.mail_count = result.mail_count
        release.save()
        return True
    release.status = ScheduledRelease.Status.BLOCKED
    release.save()
    _tell_chairs_blocked(release)
    return True


def _tell_chairs_blocked(release: ScheduledRelease) -> None:
    conference = release.conference
    numbers = dict(
        Submission.objects.filter(pk__in=release.changed_submission_ids).values_list(
            "pk", "number"
        )
    )
    for chair in User.objects.filter(groups__name=CHAIRS, is_active=True):
        mine = visible_ids(release.changed_submission_ids, user=chair)
        queue_mail(
            to=chair,
            template="release_blocked",
            context={
                "recipient": chair,
                "release_text": describe_moment(release.release_at, conference),
                "problem": release.problem,
                "numbers": sorted(numbers[pk] for pk in mine if pk in numbers),
                "path": reverse("decisions:release"),
            },
            dedupe_key=f"release-blocked:{release.pk}:{chair.pk}",
            submissions=mine,
        )


def changed_numbers(release: ScheduledRelease, *, user: User) -> list[int]:
    """The numbers of the changed decisions that blocked it, as `user` may see."""
    ids = visible_ids(release.changed_submission_ids, user=user)
    if not ids:
        return []
    return sorted(
        Submission.objects.filter(pk__in=ids).values_list("number", flat=True)
    )


def count_visible(release: ScheduledRelease, *, user: User) -> int:
    """How many of its decisions `user` may see: never a count over submissions
    the viewer is conflicted with (issue 12)."""
    return len(visible_ids(release.submission_ids, user=user))

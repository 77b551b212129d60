"""Demo decisions for `manage.py seed_haet2022 --stage decision|over`.

decision: every submitted submission gets a decision (by its mean score when
reviews exist, else at random), not yet released. over: the decisions are released
(without mails: demo data); proceedings.seed adds the camera-ready versions.
Idempotent: existing decisions are kept.
"""

from datetime import timedelta

from decisions import scheduling
from decisions.models import (
    Decision,
    DecisionLog,
    DecisionSettings,
    Outcome,
    ScheduledRelease,
)
from haet.clock import parse_instant
from haet.deadlines import describe_moment
from haet.seed import STAGE_NOW
from reviews.models import Review
from submissions.models import Submission


def _outcome(mean: float | None, rng) -> str:
    if mean is None:
        mean = rng.uniform(-2.5, 2.5)
    if mean >= 1.5:
        return Outcome.ACCEPT_ORAL
    if mean >= 0:
        return Outcome.ACCEPT_POSTER
    if mean < -2.5:
        return Outcome.DESK_REJECT
    return Outcome.REJECT


def seed_decisions(sender, *, conference, stage, rng, accounts, stdout, **_):
    """Receiver of haet.signals.seed_demo."""
    if stage not in ("decision", "over"):
        return
    chair = accounts.get("chair")
    if chair is None:
        return
    now = parse_instant(STAGE_NOW[stage])
    submissions = list(
        Submission.objects.filter(
            conference=conference, state=Submission.State.SUBMITTED
        )
        .prefetch_related("authors")
        .order_by("number")
    )
    scores: dict[int, list[int]] = {}
    for sub_id, score in Review.objects.submitted().values_list(
        "assignment__submission_id", "score"
    ):
        if score is not None:
            scores.setdefault(sub_id, []).append(score)
    decided_at = now - timedelta(days=1)
    author = accounts.get("author")
    created = 0
    for submission in submissions:
        if Decision.objects.filter(submission=submission).exists():
            continue
        values = scores.get(submission.pk)
        outcome = _outcome(sum(values) / len(values) if values else None, rng)
        if author is not None and submission.contact_id == author.pk:
            outcome = Outcome.ACCEPT_POSTER  # the demo author has something to do
        reason = (
            "The submission exceeds the page limit and is not anonymous."
            if outcome == Outcome.DESK_REJECT
            else ""
        )
        Decision.objects.create(
            submission=submission,
            outcome=outcome,
            reason=reason,
            set_by=chair,
            set_at=decided_at,
        )
        DecisionLog.objects.create(
            submission=submission,
            outcome=outcome,
            reason=reason,
            by=chair,
            at=decided_at,
        )
        created += 1
    stdout.write(f"Decisions: {created} set.")
    if stage == "decision":
        _seed_scheduled_release(conference, chair, stdout, at=now)
    if stage != "over":
        return
    decision_settings = DecisionSettings.objects.for_conference(conference)
    released_at = parse_instant(STAGE_NOW["decision"]) + timedelta(days=1)
    pending = Decision.objects.unreleased().filter(submission__conference=conference)
    released_count = pending.count()
    if released_count:
        decision_settings.release_count += 1
        decision_settings.first_released_at = (
            decision_settings.first_released_at or released_at
        )
        decision_settings.save()
        pending.update(
            released_at=released_at,
            released_by=chair,
            release_generation=decision_settings.release_count,
        )
    # A release scheduled at the decision stage is the one that happened.
    ScheduledRelease.objects.filter(
        conference=conference, status=ScheduledRelease.Status.SCHEDULED
    ).update(
        status=ScheduledRelease.Status.RELEASED,
        started_at=released_at,
        released_count=released_count,
    )


def _seed_scheduled_release(conference, chair, stdout, *, at) -> None:
    """The chair previewed the release and scheduled it for the notification day
    at 17:00 (the default): the dashboard counts down to it."""
    release_at = scheduling.default_release_at(conference)
    if (
        release_at is None
        or release_at <= at
        or scheduling.waiting_release(conference) is not None
    ):
        return
    tokens = sorted(scheduling.release_tokens(conference, by=chair))
    if not tokens:
        return
    scheduling.schedule_release(
        conference, tokens=tokens, release_at=release_at, by=chair, at=at
    )
    stdout.write(
        f"Release of decisions scheduled for {describe_moment(release_at, conference)}."
    )

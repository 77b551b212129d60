"""Releasing decisions: `preview_release` renders every mail a release would send;
`release_decisions` sends, per submission, one mail to each of its authors, under
the dedupe key `decision:<submission pk>:<email>:<release generation>`, and only
for what the chair previewed (a decision changed since the preview refuses the
whole release).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from decisions.mail_templates import mail_templates
from decisions.models import Decision, DecisionSettings
from decisions.notification import DecisionMail, render_decision_mails
from decisions.queries.bulk import last_log_ids
from haet import clock
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from reviews.conflicts import conflicted_submission_ids
from submissions.models import Submission


def release_token(decision: Decision, last_log_id: int) -> str:
    """What the preview showed for one submission: a later change alters it."""
    return f"{decision.submission_id}:{decision.outcome}:{last_log_id}"


def releasable(conference: Conference, *, by: User) -> tuple[list[Decision], int]:
    """Unreleased decisions the chair may release (not conflicted, not withdrawn),
    and how many others wait for another chair."""
    hidden = conflicted_submission_ids(by)
    pending = list(
        Decision.objects.unreleased()
        .filter(
            submission__conference=conference,
            submission__state=Submission.State.SUBMITTED,
        )
        .select_related("submission")
        .order_by("submission__number")
    )
    mine = [d for d in pending if d.submission_id not in hidden]
    return mine, len(pending) - len(mine)


def preview_release(
    conference: Conference, *, by: User
) -> tuple[list[DecisionMail], list[str], int]:
    """(mails, tokens, others): every mail a release would send now, the tokens
    to post back with "Send all", and the count left to non-conflicted chairs."""
    decisions, others = releasable(conference, by=by)
    templates = mail_templates(conference)
    last_logs = last_log_ids(d.submission_id for d in decisions)
    mails: list[DecisionMail] = []
    tokens: list[str] = []
    for decision in decisions:
        submission = decision.submission
        submission.conference = conference
        mails.extend(
            render_decision_mails(
                submission, decision, templates=templates, conference=conference
            )
        )
        tokens.append(release_token(decision, last_logs.get(submission.pk, 0)))
    return mails, tokens, others


class ReleaseChanged(ValidationError):
    """Decisions changed since the preview: nothing was sent."""

    submission_ids: list[int]  # the changed ones


@dataclass
class ReleaseResult:
    released: list[int] = field(default_factory=list)  # submission numbers
    mail_count: int = 0
    generation: int = 0


@transaction.atomic
def release_decisions(
    conference: Conference,
    *,
    tokens: Iterable[str],
    by: User,
    notify: bool = True,
    at: datetime | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> ReleaseResult:
    """Release exactly the previewed decisions (`tokens` from `preview_release`).

    Serialised on the conference's DecisionSettings row: a double click or a retry
    finds them released and sends nothing. If any previewed decision changed (or a
    new one must be previewed), raises ReleaseChanged and sends nothing. Side
    effects: released_at on each decision; one mail per author per submission,
    delivered after commit (none with notify=False: demo data). `progress(percent,
    message)` is told every 50 decisions (the job page's bar: decisions.jobs).
    """
    at = at or clock.now()
    if not by.has_perm("decisions.manage"):
        raise PermissionDenied
    decision_settings = DecisionSettings.objects.for_conference(conference)
    decision_settings = DecisionSettings.objects.select_for_update().get(
        pk=decision_settings.pk
    )
    # A token for a submission the chair is conflicted with is ignored, like one
    # for a submission that does not exist: a refusal naming it would tell the
    # chair its number and that it has a decision (issue 12).
    hidden = conflicted_submission_ids(by)
    wanted: dict[int, str] = {}
    for token in tokens:
        pk, _, _ = token.partition(":")
        if pk.isdigit() and int(pk) not in hidden:
            wanted[int(pk)] = token
    decisions = list(
        Decision.objects.select_for_update()
        .filter(submission_id__in=wanted, submission__conference=conference)
        .select_related("submission")
        .order_by("submission__number")
    )
    pending = [d for d in decisions if d.released_at is None]
    if not pending:
        return ReleaseResult(generation=decision_settings.release_count)
    last_logs = last_log_ids(d.submission_id for d in pending)
    changed = [
        d
        for d in pending
        if release_token(d, last_logs.get(d.submission_id, 0))
        != wanted[d.submission_id]
        or d.submission.state != Submission.State.SUBMITTED
    ]
    if changed:
        error = ReleaseChanged(
            "Decisions changed since your preview ("
            + ", ".join(f"#{d.submission.number}" for d in changed)
            + "). Nothing was sent: preview again.",
            code="changed",
        )
        # The scheduled release tells every chair, each about what they may see.
        error.submission_ids = [d.submission_id for d in changed]
        raise error
    decision_settings.release_count += 1
    decision_settings.first_released_at = decision_settings.first_released_at or at
    decision_settings.save(
        update_fields=["release_count", "first_released_at", "updated_at"]
    )
    templates = mail_templates(conference)
    result = ReleaseResult(generation=decision_settings.release_count)
    for done, decision in enumerate(pending):
        if progress and done % 50 == 0:
            progress(
                5 + 90 * done // len(pending), f"{done} of {len(pending)} decisions"
            )
        submission = decision.submission
        submission.conference = conference
        decision.released_at = at
        decision.released_by = by
        decision.release_generation = decision_settings.release_count
        decision.save(
            update_fields=[
                "released_at",
                "released_by",
                "release_generation",
                "updated_at",
            ]
        )
        result.released.append(submission.number)
        if not notify:
            continue
        for mail in render_decision_mails(
            submission, decision, templates=templates, conference=conference
        ):
            key = (
                f"decision:{submission.pk}:{mail.recipient.email}:"
                f"{decision.release_generation}"
            )
            queued = queue_mail(
                to=mail.recipient.to,
                template="decision_notification",
                context={"subject": mail.subject, "body": mail.body},
                dedupe_key=key,
                submissions=[submission],
            )
            result.mail_count += queued is not None
    return result

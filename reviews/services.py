"""Writes of the reviews app: the pool, profiles, bids, conflicts, assignments.

Every function names its side effects. Mails go through the outbox (queue_mail) in
the caller's transaction, each with a dedupe key, so a double click sends one mail.
"""

import csv
import io
import logging
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from haet import clock
from haet.models import Conference, ImportantDate, Topic
from haet.outbox.services import queue_mail
from haet.rules import REVIEWERS, is_reviewer
from haet.services import set_role
from reviews import conflicts
from reviews.affinity import compute_affinity
from reviews.assignment import assign as solve
from reviews.models import (
    UNWAIVABLE_SOURCES,
    AffinityScore,
    Assignment,
    AssignmentRun,
    Bid,
    Conflict,
    ConflictLog,
    ConflictSource,
    Invitation,
    ReviewerProfile,
    ReviewSettings,
    new_token,
)
from reviews.queries import visible_to
from reviews.rules import is_bidding_open
from submissions.models import Submission

logger = logging.getLogger(__name__)
User = get_user_model()


# --- the reviewer pool -------------------------------------------------------------
ADDRESS = re.compile(r"[^\s<>,;\"']+@[^\s<>,;\"']+\.[^\s<>,;\"']+")


def parse_invitees(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, email) pairs from a pasted list, one person a line: "Jane Doe
    <jane@uni.edu>", "jane@uni.edu, Jane Doe", "jane@uni.edu". Returns the pairs and
    the lines that hold no valid address."""
    found, bad = [], []
    seen = set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = ADDRESS.search(line)
        if match is None:
            bad.append(line)
            continue
        email = match.group(0).strip(".").lower()
        try:
            validate_email(email)
        except ValidationError:
            bad.append(line)
            continue
        name = (line[: match.start()] + " " + line[match.end() :]).strip(" <>,;\"'\t")
        if email not in seen:
            seen.add(email)
            found.append((" ".join(name.split()), email))
    return found, bad


def invitation_url(invitation: Invitation) -> str:
    return reverse("reviews:invitation", args=[invitation.token])


def _send_invitation(invitation: Invitation) -> None:
    queue_mail(
        to=invitation.email,
        template="reviewer_invitation",
        context={"invitation": invitation, "url": invitation_url(invitation)},
        dedupe_key=f"reviewer_invitation:{invitation.pk}:{invitation.token}",
        sensitive=True,  # the link accepts the invitation: it grants a role
    )


@transaction.atomic
def invite_reviewer(email: str, *, name: str = "", by) -> tuple[Invitation, bool]:
    """Invite one person; (invitation, is_new). Idempotent: an open or accepted
    invitation is left alone; a declined one is renewed (new link).
    Side effects: one invitation mail per new or renewed invitation."""
    email = email.strip().lower()
    validate_email(email)
    invitation = Invitation.objects.select_for_update().filter(email=email).first()
    if invitation is not None and invitation.status != Invitation.Status.DECLINED:
        return invitation, False
    now = clock.now()
    if invitation is None:
        invitation = Invitation.objects.create(
            email=email, name=name, invited_by=by, sent_at=now
        )
    else:
        invitation.status = Invitation.Status.INVITED
        invitation.token = new_token()
        invitation.invited_by = by
        invitation.sent_at = now
        invitation.answered_at = None
        invitation.decline_reason = ""
        invitation.name = name or invitation.name
        invitation.save()
    _send_invitation(invitation)
    return invitation, True


@transaction.atomic
def invite_reviewers(text: str, *, by) -> dict[str, list]:
    """Invite everyone in a pasted list. Returns {"invited": [...], "skipped":
    [...already invited...], "bad": [lines without an address]}."""
    people, bad = parse_invitees(text)
    invited, skipped = [], []
    for name, email in people:
        invitation, is_new = invite_reviewer(email, name=name, by=by)
        (invited if is_new else skipped).append(invitation)
    return {"invited": invited, "skipped": skipped, "bad": bad}


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user) -> Invitation:
    """The signed-in person joins the pool (the link is the proof: they may use
    another address than the one invited).
    Side effects: the reviewer role; an empty profile."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED and invitation.user_id not in (
        None,
        user.pk,
    ):
        raise ValidationError("This invitation was accepted by another account.")
    if invitation.status != Invitation.Status.ACCEPTED:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.answered_at = clock.now()
    invitation.user = user
    invitation.save()
    set_role(user, "reviewer", granted=True)
    ReviewerProfile.objects.get_or_create(user=user)
    if not user.name and invitation.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    return invitation


@transaction.atomic
def decline_invitation(invitation: Invitation, *, reason: str = "", user=None):
    """No thanks. A person who accepted earlier keeps the role until a chair
    removes it (they may already have assignments)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = clock.now()
    invitation.decline_reason = reason[:500]
    if user is not None and user.is_authenticated:
        invitation.user = user
    invitation.save()
    return invitation


# --- profiles ------------------------------------------------------------------------
@transaction.atomic
def save_profile(
    user,
    *,
    topics: Iterable[Topic],
    keywords: str,
    own_papers: str,
    institution_domains: str,
    max_papers: int | None,
) -> ReviewerProfile:
    """Side effects: conflicts by domain change with the declared domains."""
    profile, _ = ReviewerProfile.objects.get_or_create(user=user)
    profile.keywords = keywords.strip()
    profile.own_papers = own_papers.strip()
    profile.institution_domains = "\n".join(
        sorted(ReviewerProfile(institution_domains=institution_domains).domains)
    )
    profile.max_papers = max_papers
    profile.completed_at = profile.completed_at or clock.now()
    profile.full_clean()
    profile.save()
    profile.topics.set(topics)
    return profile


def max_load(profile: ReviewerProfile | None, settings: ReviewSettings) -> int:
    if profile is not None and profile.max_papers is not None:
        return min(profile.max_papers, settings.default_max_load * 10)
    return settings.default_max_load


# --- what a chair may shape -------------------------------------------------------
def refuse_if_hidden(submission: Submission, *, by) -> None:
    """A chair never shapes the reviewing of a submission they are conflicted with
    (assignments, conflicts, affinity). Refused in the words used for a number
    that does not exist, so the refusal confirms nothing; the views answer the
    same way before calling a service, this is the service's own guard."""
    if submission.pk in conflicts.conflicted_submission_ids(by):  # none if by is None
        raise PermissionDenied(f"There is no submission #{submission.number}.")


# --- conflicts -----------------------------------------------------------------------
def _log(submission, user, source, action, *, reason="", by=None) -> None:
    ConflictLog.objects.create(
        submission=submission,
        user=user,
        source=source,
        action=action,
        reason=reason[:500],
        by=by,
        at=clock.now(),
    )


@transaction.atomic
def declare_conflict(
    submission: Submission, user, *, source: str, reason: str = "", by
) -> Conflict:
    """A reviewer (source reviewer_declared) or a chair (chair_added) records a
    conflict. Idempotent; a waiver of the same source is lifted.
    Side effects: a ConflictLog row; existing assignments are NOT removed (chairs
    see the conflict flagged on the assignment page)."""
    if source not in (ConflictSource.REVIEWER_DECLARED, ConflictSource.CHAIR_ADDED):
        raise ValidationError("Only reviewer- or chair-declared conflicts are stored.")
    if by is not None and by.pk != user.pk:  # a chair, about someone else
        refuse_if_hidden(submission, by=by)
    now = clock.now()
    conflict, created = Conflict.objects.get_or_create(
        submission=submission,
        user=user,
        source=source,
        defaults={"reason": reason[:500], "created_by": by, "created_at": now},
    )
    if not created and conflict.is_waived:
        conflict.is_waived = False
        conflict.waived_by = None
        conflict.waived_at = None
        conflict.save()
    if created or reason:
        action = (
            ConflictLog.Action.DECLARED
            if source == ConflictSource.REVIEWER_DECLARED
            else ConflictLog.Action.ADDED
        )
        _log(submission, user, source, action, reason=reason, by=by)
    return conflict


@transaction.atomic
def remove_declared_conflict(submission: Submission, user, *, source: str, by) -> bool:
    """Withdraw a reviewer's or chair's declaration. Side effects: a log row."""
    if by is not None and by.pk != user.pk:  # a chair, about someone else
        refuse_if_hidden(submission, by=by)
    deleted, _ = Conflict.objects.filter(
        submission=submission, user=user, source=source, is_waived=False
    ).delete()
    if deleted:
        _log(submission, user, source, ConflictLog.Action.REMOVED, by=by)
    return bool(deleted)


@transaction.atomic
def waive_conflict(
    submission: Submission, user, *, source: str, reason: str = "", by
) -> Conflict:
    """A chair waives one source of conflict (the pair stays conflicted while
    another applies). Being an author cannot be waived.
    Side effects: a Conflict row marked waived; a log row."""
    refuse_if_hidden(submission, by=by)
    if source in UNWAIVABLE_SOURCES:
        raise ValidationError("An author of the submission cannot be un-conflicted.")
    ConflictSource(source)
    now = clock.now()
    conflict, _ = Conflict.objects.get_or_create(
        submission=submission,
        user=user,
        source=source,
        defaults={"created_by": by, "created_at": now},
    )
    conflict.is_waived = True
    conflict.waived_by = by
    conflict.waived_at = now
    conflict.waive_reason = reason[:500]
    conflict.save()
    _log(submission, user, source, ConflictLog.Action.WAIVED, reason=reason, by=by)
    return conflict


@transaction.atomic
def unwaive_conflict(submission: Submission, user, *, source: str, by) -> None:
    """Withdraw a waiver. Side effects: the conflict applies again; a log row."""
    from reviews.models import DETECTED_SOURCES

    refuse_if_hidden(submission, by=by)
    conflict = Conflict.objects.filter(
        submission=submission, user=user, source=source, is_waived=True
    ).first()
    if conflict is None:
        return
    if source in DETECTED_SOURCES:
        conflict.delete()
    else:
        conflict.is_waived = False
        conflict.waived_by = None
        conflict.waived_at = None
        conflict.save()
    _log(submission, user, source, ConflictLog.Action.UNWAIVED, by=by)


# --- bids ----------------------------------------------------------------------------
def biddable(submissions):
    """What reviewers bid on and the solver assigns: submitted submissions."""
    return submissions.filter(state=Submission.State.SUBMITTED)


@transaction.atomic
def place_bid(submission: Submission, reviewer, *, value: str) -> Bid:
    """Record the reviewer's bid. "conflict" declares a reviewer conflict; any
    other value withdraws the reviewer's own declaration.
    Raises PermissionDenied when bidding is closed or the pair is conflicted for
    another reason (the view answers 404 before that)."""
    value = Bid.Value(value)
    if not is_reviewer(reviewer) or not is_bidding_open():
        raise PermissionDenied("Bidding is closed.")
    index = conflicts.ConflictIndex.build(users=[reviewer], submissions=[submission])
    other = [
        r
        for r in index.reasons_for(reviewer.pk, submission.pk)
        if not r.is_waived and r.source != ConflictSource.REVIEWER_DECLARED
    ]
    if other or submission.state != Submission.State.SUBMITTED:
        raise PermissionDenied("You cannot bid on this submission.")
    bid, _ = Bid.objects.update_or_create(
        reviewer=reviewer,
        submission=submission,
        defaults={"value": value, "updated_at": clock.now()},
    )
    if value == Bid.Value.CONFLICT:
        declare_conflict(
            submission,
            reviewer,
            source=ConflictSource.REVIEWER_DECLARED,
            reason="Declared when bidding",
            by=reviewer,
        )
    else:
        remove_declared_conflict(
            submission, reviewer, source=ConflictSource.REVIEWER_DECLARED, by=reviewer
        )
    return bid


def mark_bidding_done(reviewer, *, is_done: bool = True) -> ReviewerProfile:
    profile, _ = ReviewerProfile.objects.get_or_create(user=reviewer)
    profile.bidding_done_at = clock.now() if is_done else None
    profile.save(update_fields=["bidding_done_at", "updated_at"])
    return profile


# --- affinity upload -----------------------------------------------------------------
@transaction.atomic
def upload_affinity(text: str, *, by) -> dict:
    """Replace the uploaded affinity scores with a CSV: `submission,reviewer,score`
    where submission is the paper number and reviewer an email address (a header
    row is optional). Returns {"count": n, "errors": [line messages]}; nothing is
    stored when any line is wrong.

    The chair `by` shapes only what they may see: a row about a submission they
    are conflicted with is refused in the words used for a number that does not
    exist, and the scores of those submissions (uploaded by another chair) are
    neither replaced nor removed."""
    hidden = conflicts.conflicted_submission_ids(by)
    numbers = dict(
        Submission.objects.exclude(pk__in=hidden).values_list("number", "pk")
    )
    unknown = " (or one you are conflicted with)" if hidden else ""
    emails = {e.lower(): pk for pk, e in User.objects.values_list("pk", "email")}
    rows, errors, seen = [], [], set()
    for line_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 3:
            errors.append(f"Line {line_number}: expected submission,reviewer,score.")
            continue
        number, email, score = (cell.strip() for cell in row[:3])
        if line_number == 1 and not number.lstrip("#").isdigit():
            continue  # a header
        try:
            submission_id = numbers[int(number.lstrip("#"))]
        except (ValueError, KeyError):
            errors.append(f"Line {line_number}: no submission #{number}{unknown}.")
            continue
        reviewer_id = emails.get(email.lower())
        if reviewer_id is None:
            errors.append(f"Line {line_number}: no account {email}.")
            continue
        try:
            value = float(score)
            if not np.isfinite(value):
                raise ValueError
        except ValueError:
            errors.append(f"Line {line_number}: {score!r} is not a number.")
            continue
        if (submission_id, reviewer_id) in seen:
            errors.append(f"Line {line_number}: the pair appears twice.")
            continue
        seen.add((submission_id, reviewer_id))
        rows.append((submission_id, reviewer_id, value))
    if errors:
        return {"count": 0, "errors": errors}
    now = clock.now()
    visible_to(
        AffinityScore.objects.filter(source=AffinityScore.Source.UPLOADED), by
    ).delete()
    AffinityScore.objects.bulk_create(
        AffinityScore(
            submission_id=s,
            reviewer_id=r,
            score=v,
            source=AffinityScore.Source.UPLOADED,
            updated_at=now,
        )
        for s, r, v in rows
    )
    logger.info("affinity: %s uploaded scores by %s", len(rows), by)
    return {"count": len(rows), "errors": []}


# --- assignments ---------------------------------------------------------------------
def _queue_assignment_mail(assignment: Assignment) -> None:
    """Anonymised: the paper number and title, never authors."""
    submission = assignment.submission
    conference = submission.conference
    review_date = conference.date(ImportantDate.Kind.REVIEW_DEADLINE)
    queue_mail(
        to=assignment.reviewer,
        template="assignment",
        context={
            "number": submission.number,
            "title": submission.title,
            "pseudonym": assignment.pseudonym,
            "due_at": assignment.due_at or (review_date.at if review_date else None),
            "url": reverse("reviews:dashboard"),
            "conference": conference,
        },
        dedupe_key=f"assignment:{assignment.pk}",
        submissions=[submission],
    )


def conflict_refusal(submission: Submission, reviewer, *, by=None) -> str:
    """Why the pair is conflicted, as the chair `by` may read it."""
    hidden = conflicts.conflicted_submission_ids(by)  # set() if by is None
    reasons = [
        r.shown_to(hidden)
        for r in conflicts.conflict_reasons(reviewer, submission)
        if not r.is_waived
    ]
    return "; ".join(f"{r.label}: {r.reason}" for r in reasons)


@transaction.atomic
def assign_reviewer(
    submission: Submission,
    reviewer,
    *,
    by,
    source: str = Assignment.Source.MANUAL,
    run: AssignmentRun | None = None,
    notify: bool = True,
) -> tuple[Assignment, bool]:
    """Assign one reviewer; (assignment, is_new). Idempotent.
    Raises ValidationError with the reason when the pair is conflicted or the
    person is not a reviewer.
    Side effects: the next pseudonym number; one assignment mail when new."""
    refuse_if_hidden(submission, by=by)
    existing = Assignment.objects.filter(submission=submission, reviewer=reviewer)
    if existing.exists():
        return existing.get(), False
    if not is_reviewer(reviewer):
        raise ValidationError(f"{reviewer} is not a reviewer.")
    if conflicts.is_conflicted(reviewer, submission):
        raise ValidationError(
            f"{reviewer} is conflicted with #{submission.number}: "
            f"{conflict_refusal(submission, reviewer, by=by)}"
        )
    # Lock the submission so two concurrent assignments get different numbers.
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    top = Assignment.objects.filter(submission=submission).aggregate(
        top=Max("pseudonym_index")
    )["top"]
    assignment = Assignment.objects.create(
        submission=submission,
        reviewer=reviewer,
        pseudonym_index=(top or 0) + 1,
        source=source,
        run=run,
        assigned_by=by,
        created_at=clock.now(),
    )
    if notify:
        _queue_assignment_mail(assignment)
    return assignment, True


@transaction.atomic
def unassign_reviewer(assignment: Assignment, *, by) -> None:
    """Remove an assignment whose review has not been started.
    Raises ValidationError otherwise (a started review is never thrown away)."""
    refuse_if_hidden(assignment.submission, by=by)
    if Assignment.objects.filter(pk=assignment.pk, review__isnull=False).exists():
        raise ValidationError(
            f"{assignment.pseudonym} of #{assignment.submission.number} has started "
            "a review; it cannot be removed."
        )
    logger.info("unassign %s by %s", assignment, by)
    assignment.delete()


# --- automatic assignment: propose, compute, deploy -----------------------------------
@dataclass(frozen=True)
class Problem:
    submissions: list
    reviewers: list
    per_paper: int
    loads: list[int]


def _problem(
    conference: Conference, *, hidden: AbstractSet[int] = frozenset()
) -> Problem:
    """The submissions to assign and the reviewers with their loads. `hidden`
    submissions (the proposing chair's conflicts) are left out of the problem, but
    their assignments still use up their reviewers' loads."""
    settings = ReviewSettings.objects.for_conference(conference)
    submitted = biddable(Submission.objects.filter(conference=conference))
    submissions = list(
        submitted.exclude(pk__in=hidden).prefetch_related("topics").order_by("number")
    )
    reviewers = list(
        User.objects.filter(groups__name=REVIEWERS, is_active=True)
        .select_related("reviewer_profile")
        .order_by("pk")
        .distinct()
    )
    used = Counter(
        Assignment.objects.filter(
            submission__in=submitted.filter(pk__in=hidden)
        ).values_list("reviewer_id", flat=True)
        if hidden
        else ()
    )
    loads = [
        max(max_load(getattr(r, "reviewer_profile", None), settings) - used[r.pk], 0)
        for r in reviewers
    ]
    return Problem(submissions, reviewers, settings.reviewers_per_submission, loads)


@transaction.atomic
def propose_assignment(
    *, by, fair: bool = False, affinity_source: str = AffinityScore.Source.COMPUTED
) -> AssignmentRun:
    """Start a proposal. Side effects: an AssignmentRun; the computation runs as a
    Celery task after commit (eagerly under the embedded default); if the task
    cannot be published (Redis down), the run fails with that reason."""
    from reviews.tasks import start_run

    AffinityScore.Source(affinity_source)
    run = AssignmentRun.objects.create(
        created_by=by,
        params={"fair": bool(fair), "affinity_source": affinity_source},
        created_at=clock.now(),
    )
    transaction.on_commit(partial(start_run, run.pk))
    return run


def _progress(run_id: int, percent: int, message: str) -> None:
    AssignmentRun.objects.filter(pk=run_id).update(
        progress=percent, progress_message=message
    )


def fail_queued_run(run_id: int, *, error: str) -> bool:
    """Mark a run that never started as failed, with the reason chairs read on its
    page. Side effects: the run's status, error and finish time."""
    return bool(
        AssignmentRun.objects.filter(
            pk=run_id, status=AssignmentRun.Status.QUEUED
        ).update(
            status=AssignmentRun.Status.FAILED,
            error=error[:2000],
            finished_at=clock.now(),
        )
    )


def compute_run(run_id: int) -> AssignmentRun | None:
    """Compute a queued proposal. Idempotent: only the run that moves QUEUED ->
    RUNNING works; a second call does nothing. Side effects: the run's result."""
    claimed = AssignmentRun.objects.filter(
        pk=run_id, status=AssignmentRun.Status.QUEUED
    ).update(status=AssignmentRun.Status.RUNNING, started_at=clock.now(), progress=5)
    if not claimed:
        return None
    run = AssignmentRun.objects.get(pk=run_id)
    try:
        result = _solve(run)
    except Exception as exc:
        logger.exception("assignment run %s failed", run_id)
        AssignmentRun.objects.filter(pk=run_id).update(
            status=AssignmentRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=clock.now(),
        )
        return AssignmentRun.objects.get(pk=run_id)
    AssignmentRun.objects.filter(pk=run_id).update(
        status=AssignmentRun.Status.DONE,
        result=result,
        progress=100,
        progress_message="Done",
        finished_at=clock.now(),
    )
    return AssignmentRun.objects.get(pk=run_id)


def _solve(run: AssignmentRun) -> dict:
    conference = Conference.objects.current()
    # A proposal covers only what its chair may see (run.created_by is the chair).
    hidden = conflicts.conflicted_submission_ids(run.created_by)  # set() if None
    problem = _problem(conference, hidden=hidden)
    settings = ReviewSettings.objects.for_conference(conference)
    _progress(run.pk, 15, "Computing affinity")
    affinity = compute_affinity(
        problem.submissions,
        problem.reviewers,
        settings=settings,
        source=run.params.get("affinity_source", AffinityScore.Source.COMPUTED),
    )
    _progress(run.pk, 45, "Finding conflicts")
    index = conflicts.ConflictIndex.build(
        users=problem.reviewers, submissions=problem.submissions
    )
    row = {pk: i for i, pk in enumerate(affinity.submission_ids)}
    col = {pk: j for j, pk in enumerate(affinity.reviewer_ids)}
    conflict_pairs = np.array(
        [(row[s], col[u]) for (u, s) in index.pairs() if s in row and u in col],
        dtype=np.int64,
    ).reshape(-1, 2)
    existing_pairs = list(
        Assignment.objects.filter(submission_id__in=row).values_list(
            "submission_id", "reviewer_id"
        )
    )
    existing = np.array(
        [(row[s], col[r]) for s, r in existing_pairs if r in col], dtype=np.int64
    ).reshape(-1, 2)
    papers, reviewers = affinity.total.shape
    grid_p, grid_r = np.meshgrid(np.arange(papers), np.arange(reviewers), indexing="ij")
    _progress(run.pk, 60, "Solving")
    result = solve(
        papers,
        reviewers,
        (grid_p.ravel(), grid_r.ravel(), affinity.total.ravel()),
        per_paper=problem.per_paper,
        max_load=np.array(problem.loads, dtype=np.int64)
        if reviewers
        else np.zeros(0, dtype=np.int64),
        conflicts=conflict_pairs,
        existing=existing,
        fair=bool(run.params.get("fair")),
    )
    _progress(run.pk, 90, "Saving the proposal")
    sub_ids, rev_ids = affinity.submission_ids, affinity.reviewer_ids
    pairs, kept = [], []
    for p, r, s, new in zip(
        result.papers, result.reviewers, result.scores, result.is_new, strict=True
    ):
        item = [sub_ids[p], rev_ids[r], round(float(s), 4)]
        (pairs if new else kept).append(item)
    return {
        "pairs": pairs,
        "kept": kept,
        "unfilled": {str(sub_ids[p]): reason for p, reason in result.unfilled.items()},
        "total_score": float(result.total_score),
        "min_paper_score": None
        if np.isnan(result.min_paper_score)
        else float(result.min_paper_score),
        "seconds": float(result.seconds),
        "per_paper": problem.per_paper,
        "paper_count": papers,
        "reviewer_count": reviewers,
    }


@transaction.atomic
def deploy_run(run: AssignmentRun, *, by, notify: bool = True) -> list[Assignment]:
    """Turn a proposal into assignments. Existing assignments are kept (the solver
    never drops one); a proposed pair that became conflicted or assigned since, or
    whose submission was filled by hand meanwhile, is skipped. Idempotent: a
    deployed run deploys nothing. The chair `by` deploys only the pairs of the
    submissions they may see, whoever proposed the run: nothing of a submission
    they are conflicted with is created.
    Side effects: Assignment rows; one assignment mail per new assignment."""
    claimed = AssignmentRun.objects.filter(
        pk=run.pk, status=AssignmentRun.Status.DONE
    ).update(
        status=AssignmentRun.Status.DEPLOYED, deployed_at=clock.now(), deployed_by=by
    )
    if not claimed:
        raise ValidationError("Only a finished, undeployed proposal can be deployed.")
    run.refresh_from_db()
    hidden = conflicts.conflicted_submission_ids(by)
    pairs = [pair for pair in run.result.get("pairs", []) if pair[0] not in hidden]
    # assign_reviewer numbers pseudonyms in call order and the solver lists pairs by
    # reviewer, so "Reviewer 1" used to be the lowest account id on every paper.
    # Deploying in a random order (OS randomness, not a seedable generator) makes a
    # pseudonym say nothing about the account or the order of the proposal.
    secrets.SystemRandom().shuffle(pairs)
    submissions = Submission.objects.select_related("conference").in_bulk(
        {s for s, _, _ in pairs}
    )
    reviewers = User.objects.in_bulk({r for _, r, _ in pairs})
    index = conflicts.ConflictIndex.build(
        users=reviewers.values(), submissions=submissions.values()
    )
    per_submission = ReviewSettings.objects.for_conference(
        Conference.objects.current()
    ).reviewers_per_submission
    counts = Counter(
        Assignment.objects.filter(submission_id__in=submissions).values_list(
            "submission_id", flat=True
        )
    )
    created = []
    for submission_id, reviewer_id, _score in pairs:
        submission = submissions.get(submission_id)
        reviewer = reviewers.get(reviewer_id)
        if submission is None or reviewer is None:
            continue
        # Things changed since the proposal: a new conflict, or assignments made
        # by hand meanwhile that already fill the submission.
        if index.is_conflicted(reviewer_id, submission_id):
            continue
        if counts[submission_id] >= per_submission:
            continue
        if Assignment.objects.filter(
            submission_id=submission_id, reviewer_id=reviewer_id
        ).exists():
            continue
        counts[submission_id] += 1
        assignment, is_new = assign_reviewer(
            submission,
            reviewer,
            by=by,
            source=Assignment.Source.AUTOMATIC,
            run=run,
            notify=notify,
        )
        if is_new:
            created.append(assignment)
    return created


def discard_run(run: AssignmentRun, *, by) -> bool:
    return bool(
        AssignmentRun.objects.filter(
            pk=run.pk,
            status__in=[AssignmentRun.Status.DONE, AssignmentRun.Status.FAILED],
        ).update(status=AssignmentRun.Status.DISCARDED)
    )


# --- inspection (reads over a run, for the chairs' page) -----------------------------
def run_submission_ids(run: AssignmentRun) -> set[int]:
    """Every submission a run covers: with new or kept pairs, or left unfilled."""
    result = run.result or {}
    ids = {s for s, _, _ in [*result.get("pairs", []), *result.get("kept", [])]}
    return ids | {int(k) for k in result.get("unfilled", {})}


def inspect_run(run: AssignmentRun, *, hidden: AbstractSet[int] = frozenset()) -> dict:
    """What the inspect page shows: per-submission rows (kept and proposed with
    scores, unfilled reason), per-reviewer loads and affinity, the load histogram,
    and the change against the current assignment.

    Everything is computed over the submissions outside `hidden` (those the viewing
    chair is conflicted with): a hidden submission's pairs count in no row, load,
    histogram, total or count; `hidden_count` says how many were left out."""
    result = run.result or {}
    all_ids = run_submission_ids(run)
    pairs = [p for p in result.get("pairs", []) if p[0] not in hidden]
    kept = [p for p in result.get("kept", []) if p[0] not in hidden]
    submission_ids = {s for s, _, _ in pairs} | {s for s, _, _ in kept}
    unfilled = {
        int(k): v for k, v in result.get("unfilled", {}).items() if int(k) not in hidden
    }
    submission_ids |= set(unfilled)
    submissions = Submission.objects.in_bulk(submission_ids)
    reviewer_ids = {r for _, r, _ in pairs} | {r for _, r, _ in kept}
    current = defaultdict(list)
    for assignment in Assignment.objects.filter(
        submission_id__in=submission_ids
    ).select_related("reviewer"):
        current[assignment.submission_id].append(assignment)
        reviewer_ids.add(assignment.reviewer_id)
    reviewers = User.objects.in_bulk(reviewer_ids)

    proposed_by_sub, kept_by_sub = defaultdict(list), defaultdict(list)
    load, new_load, score_by_reviewer = Counter(), Counter(), defaultdict(float)
    for s, r, score in kept:
        kept_by_sub[s].append((reviewers.get(r), score))
        load[r] += 1
        score_by_reviewer[r] += score
    for s, r, score in pairs:
        proposed_by_sub[s].append((reviewers.get(r), score))
        load[r] += 1
        new_load[r] += 1
        score_by_reviewer[r] += score
    rows = []
    for s in sorted(submission_ids, key=lambda pk: submissions[pk].number):
        scores = [x for _, x in kept_by_sub[s]] + [x for _, x in proposed_by_sub[s]]
        rows.append(
            {
                "submission": submissions[s],
                "kept": kept_by_sub[s],
                "proposed": proposed_by_sub[s],
                "current_count": len(current[s]),
                "total": round(sum(scores), 4),
                "unfilled": unfilled.get(s, ""),
            }
        )
    reviewer_rows = [
        {
            "reviewer": reviewers[r],
            "load": load[r],
            "new": new_load[r],
            "affinity": round(score_by_reviewer[r], 4),
            "mean": round(score_by_reviewer[r] / load[r], 4) if load[r] else 0.0,
        }
        for r in sorted(load, key=lambda pk: (-load[pk], pk))
    ]
    histogram = Counter(load.values())
    all_reviewers = User.objects.filter(groups__name=REVIEWERS).distinct().count()
    idle = max(all_reviewers - len(load), 0)
    if idle:
        histogram[0] += idle
    shown_all = not (all_ids & set(hidden))
    return {
        "rows": rows,
        "reviewer_rows": reviewer_rows,
        "histogram": sorted(histogram.items()),
        "histogram_max": max(histogram.values(), default=1),
        "added_count": len(pairs),
        "kept_count": len(kept),
        "unfilled_count": len(unfilled),
        "hidden_count": len(all_ids & set(hidden)),
        # The solver's figures cover every submission of the run; over a part of
        # it they are recomputed from the rows shown.
        "total_score": result.get("total_score")
        if shown_all
        else round(sum(row["total"] for row in rows), 4),
        "min_paper_score": result.get("min_paper_score")
        if shown_all
        else min((row["total"] for row in rows), default=None),
    }

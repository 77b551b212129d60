"""Automatic assignment: propose a run, compute it, inspect, deploy or discard."""

import logging
import secrets
from collections import Counter
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from haet import clock
from haet.models import Conference, User
from haet.rules import REVIEWERS
from reviews import conflicts
from reviews.affinity import compute_affinity
from reviews.assigning import assign_reviewer, queue_assignment_digests
from reviews.assignment import assign as solve
from reviews.bidding import biddable
from reviews.models import (
    AffinityScore,
    Assignment,
    AssignmentRun,
    ReviewSettings,
)
from reviews.pool import max_load
from submissions.models import Submission

logger = logging.getLogger(__name__)

# The computation's Celery limits (reviews.tasks.run_assignment). Past the soft one
# the solver is interrupted and the run fails with that reason; past the hard one
# the worker process is killed and writes nothing, and a worker that dies (out of
# memory, a deploy) writes nothing either: `fail_stalled_runs` ends those runs.
RUN_SOFT_TIME_LIMIT = 10 * 60
RUN_TIME_LIMIT = 15 * 60
# A queued run that no worker has started after this long (no worker running, a
# lost message) fails too, rather than wait for ever.
QUEUE_TIME_LIMIT = 15 * 60
# Room for clocks and the sweep's own period: never fail a run still allowed to run.
SWEEP_GRACE = 60


# --- automatic assignment: propose, compute, deploy -----------------------------------
@dataclass(frozen=True)
class Problem:
    submissions: list
    reviewers: list
    per_submission: int
    loads: list[int]


def _problem(
    conference: Conference, *, hidden: AbstractSet[int] = frozenset()
) -> Problem:
    """The submissions to assign and the reviewers with their loads. `hidden`
    submissions (the proposing chair's conflicts) are left out of the problem, but
    their assignments still use up their reviewers' loads."""
    review_settings = ReviewSettings.objects.for_conference(conference)
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
        max(
            max_load(getattr(r, "reviewer_profile", None), review_settings)
            - used[r.pk],
            0,
        )
        for r in reviewers
    ]
    return Problem(
        submissions, reviewers, review_settings.reviewers_per_submission, loads
    )


@transaction.atomic
def propose_assignment(
    *,
    by: User,
    fair: bool = False,
    affinity_source: str = AffinityScore.Source.COMPUTED,
    min_load: int | None = 0,
) -> AssignmentRun:
    """Start a proposal. Side effects: an AssignmentRun; the computation runs as a
    Celery task after commit (eagerly under the embedded default); if the task
    cannot be published (Redis down), the run fails with that reason."""
    from reviews.tasks import start_run

    AffinityScore.Source(affinity_source)
    run = AssignmentRun.objects.create(
        created_by=by,
        params={
            "fair": bool(fair),
            "affinity_source": affinity_source,
            "min_load": int(min_load or 0),
        },
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
    RUNNING works; a second call does nothing. Side effects: the run's result
    (written only while the run is still RUNNING: a run the sweep has failed
    stays failed)."""
    claimed = AssignmentRun.objects.filter(
        pk=run_id, status=AssignmentRun.Status.QUEUED
    ).update(status=AssignmentRun.Status.RUNNING, started_at=clock.now(), progress=5)
    if not claimed:
        return None
    run = AssignmentRun.objects.get(pk=run_id)
    running = AssignmentRun.objects.filter(
        pk=run_id, status=AssignmentRun.Status.RUNNING
    )
    try:
        result = _solve(run)
    except Exception as exc:
        logger.exception("assignment run %s failed", run_id)
        running.update(
            status=AssignmentRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=clock.now(),
        )
        return AssignmentRun.objects.get(pk=run_id)
    running.update(
        status=AssignmentRun.Status.DONE,
        result=result,
        progress=100,
        progress_message="Done",
        finished_at=clock.now(),
    )
    return AssignmentRun.objects.get(pk=run_id)


def fail_stalled_runs(*, at: datetime | None = None) -> list[int]:
    """Fail every run whose worker is gone: RUNNING past the hard time limit, or
    QUEUED with no worker after QUEUE_TIME_LIMIT (the beat task, every minute).
    Their page stops refreshing and offers to run them again (`propose_again`).
    Idempotent: each run is moved by one conditional UPDATE, so a failed (or
    finished) run is never touched. Returns the ids this call failed.
    Side effects: those runs' status, error and finish time."""
    at = at or clock.now()
    Status = AssignmentRun.Status
    stalled = [
        (
            Q(
                status=Status.RUNNING,
                started_at__lte=at - timedelta(seconds=RUN_TIME_LIMIT + SWEEP_GRACE),
            ),
            f"The computation stopped without an answer: its worker was stopped "
            f"or it ran past its {RUN_TIME_LIMIT // 60} minutes.",
        ),
        (
            Q(
                status=Status.QUEUED,
                created_at__lte=at - timedelta(seconds=QUEUE_TIME_LIMIT + SWEEP_GRACE),
            ),
            f"No worker started the computation within {QUEUE_TIME_LIMIT // 60} "
            "minutes (is the Celery worker running?).",
        ),
    ]
    failed = []
    for condition, error in stalled:
        for pk in AssignmentRun.objects.filter(condition).values_list("pk", flat=True):
            if AssignmentRun.objects.filter(condition, pk=pk).update(
                status=Status.FAILED, error=error, finished_at=at
            ):
                logger.warning("assignment run %s failed: %s", pk, error)
                failed.append(pk)
    return failed


def propose_again(run: AssignmentRun, *, by: User) -> AssignmentRun:
    """A new proposal with the options of a failed one ("Run again").
    Side effects: those of `propose_assignment`."""
    if run.status != AssignmentRun.Status.FAILED:
        raise ValidationError("Only a failed proposal can be run again.")
    return propose_assignment(by=by, **run.params)


def _solve(run: AssignmentRun) -> dict:
    conference = Conference.objects.current()
    # A proposal covers only what its chair may see (run.created_by is the chair).
    hidden = conflicts.conflicted_submission_ids(run.created_by)  # set() if None
    problem = _problem(conference, hidden=hidden)
    review_settings = ReviewSettings.objects.for_conference(conference)
    _progress(run.pk, 15, "Computing affinity")
    affinity = compute_affinity(
        problem.submissions,
        problem.reviewers,
        review_settings=review_settings,
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
    submission_count, reviewers = affinity.total.shape
    grid_p, grid_r = np.meshgrid(
        np.arange(submission_count), np.arange(reviewers), indexing="ij"
    )
    _progress(run.pk, 60, "Solving")
    result = solve(
        submission_count,
        reviewers,
        (grid_p.ravel(), grid_r.ravel(), affinity.total.ravel()),
        per_submission=problem.per_submission,
        max_load=np.array(problem.loads, dtype=np.int64)
        if reviewers
        else np.zeros(0, dtype=np.int64),
        conflicts=conflict_pairs,
        existing=existing,
        fair=bool(run.params.get("fair")),
        min_load=int(run.params.get("min_load") or 0),
        lp_bound=True,
    )
    _progress(run.pk, 90, "Saving the proposal")
    sub_ids, rev_ids = affinity.submission_ids, affinity.reviewer_ids
    pairs: list[list[int | float]] = []
    kept: list[list[int | float]] = []
    for p, r, s, new in zip(
        result.submissions,
        result.reviewers,
        result.scores,
        result.is_new,
        strict=True,
    ):
        item = [sub_ids[p], rev_ids[r], round(float(s), 4)]
        (pairs if new else kept).append(item)
    return {
        "pairs": pairs,
        "kept": kept,
        "unfilled": {str(sub_ids[p]): reason for p, reason in result.unfilled.items()},
        "total_score": float(result.total_score),
        "min_paper_score": None
        if np.isnan(result.min_submission_score)
        else float(result.min_submission_score),
        "lp_bound": result.stats.get("lp_bound"),
        "below_min_load": {
            str(rev_ids[r]): reason for r, reason in result.below_min_load.items()
        },
        "seconds": float(result.seconds),
        "per_paper": problem.per_submission,
        "paper_count": submission_count,
        "reviewer_count": reviewers,
    }


@transaction.atomic
def deploy_run(
    run: AssignmentRun,
    *,
    by: User,
    notify: bool = True,
    progress: Callable[[int, str], None] | None = None,
) -> list[Assignment]:
    """Turn a proposal into assignments. Existing assignments are kept (the solver
    never drops one); a proposed pair that became conflicted or assigned since, or
    whose submission was filled by hand meanwhile, is skipped. Idempotent: a
    deployed run deploys nothing. The chair `by` deploys only the pairs of the
    submissions they may see, whoever proposed the run: nothing of a submission
    they are conflicted with is created.
    Side effects: Assignment rows; one mail per reviewer listing their new
    assignments (`queue_assignment_digests`), not one per assignment."""
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
    conference = Conference.objects.current()
    submissions = Submission.objects.in_bulk({s for s, _, _ in pairs})
    for to_deploy in submissions.values():
        # One conference object: its dates are read once for every digest mail.
        to_deploy.conference = conference
    reviewers = User.objects.in_bulk({r for _, r, _ in pairs})
    index = conflicts.ConflictIndex.build(
        users=reviewers.values(), submissions=submissions.values()
    )
    per_submission = ReviewSettings.objects.for_conference(
        conference
    ).reviewers_per_submission
    counts = Counter(
        Assignment.objects.filter(submission_id__in=submissions).values_list(
            "submission_id", flat=True
        )
    )
    created = []
    for done, (submission_id, reviewer_id, _score) in enumerate(pairs):
        if progress and done % 50 == 0:  # `progress`: the job page's bar (reviews.jobs)
            progress(5 + 90 * done // len(pairs), f"{done} of {len(pairs)} pairs")
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
            notify=False,  # one digest per reviewer below
        )
        if is_new:
            created.append(assignment)
    if notify:
        queue_assignment_digests(created, run=run)
    return created


def discard_run(run: AssignmentRun, *, by: User) -> bool:
    return bool(
        AssignmentRun.objects.filter(
            pk=run.pk,
            status__in=[AssignmentRun.Status.DONE, AssignmentRun.Status.FAILED],
        ).update(status=AssignmentRun.Status.DISCARDED)
    )

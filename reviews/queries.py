"""Reads across apps: review statistics on submission QuerySets (one query), the
one visibility rule every chair read passes through, and what the chairs' page of
an automatic-assignment run shows."""

from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet

from django.db.models import Avg, Count, Max, Min, Q, QuerySet, StdDev

from haet.models import User
from haet.rules import REVIEWERS
from reviews.conflicts import conflicted_submission_ids
from reviews.models import Assignment, AssignmentRun, Review
from submissions.models import Submission

SUBMITTED = Q(assignments__review__state=Review.State.SUBMITTED)


def with_review_stats(submissions: QuerySet) -> QuerySet:
    """Annotate `assignment_count`, `review_count` (submitted), `mean_score`,
    `min_score`, `max_score`, `score_spread` (std dev), `mean_confidence`."""
    return submissions.annotate(
        assignment_count=Count("assignments", distinct=True),
        review_count=Count("assignments__review", filter=SUBMITTED, distinct=True),
        mean_score=Avg("assignments__review__score", filter=SUBMITTED),
        min_score=Min("assignments__review__score", filter=SUBMITTED),
        max_score=Max("assignments__review__score", filter=SUBMITTED),
        score_spread=StdDev("assignments__review__score", filter=SUBMITTED),
        mean_confidence=Avg("assignments__review__confidence", filter=SUBMITTED),
    )


# --- what a chair may see ----------------------------------------------------------
def visible_to(queryset: QuerySet, user: User) -> QuerySet:
    """`queryset` without the rows about a submission `user` is conflicted with
    (`conflicted_submission_ids`, cached per request).

    THE filter for chair reads: lists, counts, loads, histograms and exports are
    computed over what it returns, so an aggregate never counts a hidden
    submission. Submissions are filtered on their own id, any other model
    (Assignment, Bid, AffinityScore, ConflictLog...) on its `submission` key.
    """
    hidden = conflicted_submission_ids(user)
    if not hidden:
        return queryset
    field = "pk" if queryset.model is Submission else "submission_id"
    return queryset.exclude(**{f"{field}__in": hidden})


def visible_assignment_filter(user: User) -> Q | None:
    """For `Count("assignments", filter=...)`: the assignments of submissions
    `user` may see (None, no filter, when they see everything)."""
    hidden = conflicted_submission_ids(user)
    if not hidden:
        return None
    return ~Q(assignments__submission_id__in=hidden)


# --- automatic-assignment runs: what the chairs' page shows ----------------------
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
    below = (result.get("below_min_load") or {}) if not all_ids & set(hidden) else {}
    reviewers = User.objects.in_bulk(reviewer_ids | {int(pk) for pk in below})

    proposed_by_sub: defaultdict[int, list[tuple[User | None, float]]] = defaultdict(
        list
    )
    kept_by_sub: defaultdict[int, list[tuple[User | None, float]]] = defaultdict(list)
    load: Counter[int] = Counter()
    new_load: Counter[int] = Counter()
    score_by_reviewer: defaultdict[int, float] = defaultdict(float)
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
        # The bound and who fell short argue over every submission of the run.
        "lp_bound": result.get("lp_bound") if shown_all else None,
        "below_min_load": [(reviewers[int(pk)], why) for pk, why in below.items()],
    }


def run_figures(run: AssignmentRun, *, hidden: AbstractSet[int] = frozenset()) -> dict:
    """A proposal's fairness figures for the list: lowest submission total,
    total affinity (both over the submissions outside `hidden`) and the max-min
    LP bound (only when nothing is hidden: it covers the whole run)."""
    result = run.result or {}
    totals: dict[int, float] = defaultdict(float)
    for s, _, score in [*result.get("pairs", []), *result.get("kept", [])]:
        if s not in hidden:
            totals[s] += score
    for pk in result.get("unfilled", {}):
        if int(pk) not in hidden:
            totals[int(pk)] += 0.0
    shown_all = not (run_submission_ids(run) & set(hidden))
    return {
        "min_paper_score": min(totals.values(), default=None),
        "total_score": round(sum(totals.values()), 4) if totals else None,
        "lp_bound": result.get("lp_bound") if shown_all else None,
    }


# --- previous and next: walking a list one page at a time -------------------------
def _around(numbers: list[int], number: int) -> tuple[int | None, int | None]:
    """The numbers before and after `number` in `numbers` (sorted ascending); not
    in the list (a page opened from elsewhere): the nearest on each side."""
    before = [n for n in numbers if n < number]
    after = [n for n in numbers if n > number]
    return (before[-1] if before else None, after[0] if after else None)


def reviewer_neighbours(
    user: User, submission: Submission
) -> tuple[int | None, int | None]:
    """The previous and next of `user`'s own assignments around `submission`, in
    the order of their assignment list (by number), skipping what their list skips:
    withdrawn submissions and conflicts found after assigning. One query."""
    hidden = conflicted_submission_ids(user)
    numbers = [
        number
        for pk, number in Assignment.objects.for_reviewer(user)
        .filter(submission__conference_id=submission.conference_id)
        .values_list("submission_id", "submission__number")
        if pk not in hidden
    ]
    return _around(numbers, submission.number)


def chair_neighbours(
    user: User, submission: Submission
) -> tuple[int | None, int | None]:
    """The previous and next submission by number among those chair `user` may
    see (`visible_to`: a conflicted one is neither shown nor skipped visibly, the
    link jumps over it), drafts aside. Two small queries."""
    shown = visible_to(
        Submission.objects.filter(conference_id=submission.conference_id).exclude(
            state=Submission.State.DRAFT
        ),
        user,
    ).values_list("number", flat=True)
    before = shown.filter(number__lt=submission.number).order_by("-number").first()
    after = shown.filter(number__gt=submission.number).order_by("number").first()
    return before, after

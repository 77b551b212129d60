"""Optimal reviewer assignment as a min-cost max-flow (pure numpy + OR-Tools).

The classic graph (HotCRP, OpenReview): ``source -> submission`` with capacity
``k - existing``, ``submission -> reviewer`` with capacity 1 per eligible candidate
pair, ``reviewer -> sink`` with capacity ``load - existing``; a minimum load splits
the last arc in two, the first part carrying a bonus larger than any affinity
change. ``solve_max_flow_with_min_cost`` maximises the flow (filled slots), then
minimises the cost: fill every fillable slot, then the most pairs toward minimum
loads, then the most affinity. Flow polytopes are integral, so this is a
provable optimum of the integer problem, not a rounded LP.

Costs are integers: ``-round(score * scale)``, ``scale`` a power of two that makes
the largest ``|score|`` about ``COST_RESOLUTION`` while OR-Tools' limit
(``max|cost| * (nodes + 1)`` in int64) keeps headroom. The result is optimal for
the rounded scores, within ``slots / scale`` of the real-valued optimum. Negative
scores are fine: the flow is maximised first, so a negative pair is still used
when it is the only way to fill a slot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow

from .inputs import check_range, member, pairs_of, per_entity
from .report import below_min_load, unfilled_reasons

__all__ = ["AssignmentResult", "Instance", "assign", "solve_weighted"]

# About 2**24 integer steps across the score range: a per-pair rounding error of
# 2**-25 of the largest score, far below any affinity model's precision, while
# keeping the cost-scaling algorithm's number of refinement phases low.
COST_RESOLUTION = 2**24
_INT64_MAX = np.iinfo(np.int64).max
nan = float("nan")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class AssignmentResult:
    """All assignments (existing and new) and how good they are.

    ``submissions[i], reviewers[i], scores[i]`` is one assignment; ``is_new[i]`` is
    False for the existing assignments that were kept. ``submission_scores`` is the
    total affinity per paper (existing assignments included; an existing pair that
    is not a listed candidate scores 0). ``min_submission_score`` is taken over the
    papers with k > 0 (``nan`` if there are none). ``unfilled`` maps each paper
    with fewer than k assignments to a human-readable reason; ``below_min_load``
    does the same for reviewers below their minimum load.
    """

    submissions: IntArray
    reviewers: IntArray
    scores: FloatArray
    is_new: NDArray[np.bool_]
    submission_scores: FloatArray
    assigned_count: IntArray
    total_score: float
    min_submission_score: float
    unfilled: dict[int, str]
    seconds: float
    stats: dict[str, float] = field(default_factory=dict)
    below_min_load: dict[int, str] = field(default_factory=dict)

    @property
    def pairs(self) -> list[tuple[int, int, float]]:
        rows = zip(self.submissions, self.reviewers, self.scores, strict=True)
        return [(int(p), int(r), float(s)) for p, r, s in rows]

    @property
    def filled_slots(self) -> int:
        return int(self.is_new.sum())


@dataclass(frozen=True)
class Instance:
    """A validated problem in flat numpy arrays; built once, solved many times.

    ``arc_*`` are the eligible new pairs (candidates minus conflicts, minus
    existing assignments, minus pairs whose paper or reviewer has no room left).
    """

    submission_count: int
    reviewer_count: int
    per_submission: IntArray
    max_load: IntArray
    need: IntArray  # open slots per paper: k - existing, at least 0
    free: IntArray  # free load per reviewer: max_load - existing, at least 0
    want: IntArray  # open minimum load: min(min_load, max_load) - existing, >= 0
    arc_submission: IntArray
    arc_reviewer: IntArray
    arc_score: FloatArray
    existing_submission: IntArray
    existing_reviewer: IntArray
    existing_score: FloatArray
    base_score: FloatArray  # per-paper affinity already given by existing pairs
    candidate_count: IntArray  # per paper: listed, non-conflicted, not existing
    eligible_count: IntArray  # ... and the reviewer still has free load

    @classmethod
    def build(
        cls,
        submission_count: int,
        reviewer_count: int,
        candidates: tuple[ArrayLike, ArrayLike, ArrayLike],
        *,
        per_submission: int | ArrayLike = 3,
        max_load: int | ArrayLike,
        min_load: int | ArrayLike = 0,
        conflicts: ArrayLike | None = None,
        existing: ArrayLike | None = None,
    ) -> Instance:
        if submission_count < 0 or reviewer_count < 0:
            raise ValueError("paper_count and reviewer_count must be >= 0")
        cand_p = np.asarray(candidates[0], dtype=np.int64).ravel()
        cand_r = np.asarray(candidates[1], dtype=np.int64).ravel()
        cand_s = np.asarray(candidates[2], dtype=np.float64).ravel()
        if not (cand_p.shape == cand_r.shape == cand_s.shape):
            raise ValueError("candidate papers, reviewers and scores differ in length")
        check_range("candidate paper", cand_p, submission_count)
        check_range("candidate reviewer", cand_r, reviewer_count)
        if not np.isfinite(cand_s).all():
            raise ValueError("candidate scores must be finite")
        k = per_entity("per_paper", per_submission, submission_count)
        load = per_entity("max_load", max_load, reviewer_count)
        least = np.minimum(per_entity("min_load", min_load, reviewer_count), load)

        # One int64 key per pair (p * R + r) turns every set operation into a
        # sort or a binary search: no dense papers x reviewers matrix anywhere.
        keys = cand_p * reviewer_count + cand_r
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        if sorted_keys.size > 1 and (sorted_keys[1:] == sorted_keys[:-1]).any():
            dup = int(sorted_keys[1:][sorted_keys[1:] == sorted_keys[:-1]][0])
            raise ValueError(
                f"duplicate candidate pair (paper {dup // reviewer_count}, "
                f"reviewer {dup % reviewer_count})"
            )
        cand_p, cand_r, cand_s = cand_p[order], cand_r[order], cand_s[order]
        usable = np.ones(sorted_keys.size, dtype=bool)

        conf = pairs_of("conflict", conflicts, submission_count, reviewer_count)
        if conf.size:
            conf_keys = conf[:, 0] * reviewer_count + conf[:, 1]
            usable &= ~member(sorted_keys, conf_keys)

        ex = pairs_of("existing", existing, submission_count, reviewer_count)
        ex_keys = ex[:, 0] * reviewer_count + ex[:, 1]
        if np.unique(ex_keys).size != ex_keys.size:
            raise ValueError("duplicate existing assignment")
        ex_score = np.zeros(ex_keys.size)
        if ex_keys.size:
            pos = np.searchsorted(sorted_keys, ex_keys)
            pos_ok = pos < sorted_keys.size
            hit = np.zeros(ex_keys.size, dtype=bool)
            hit[pos_ok] = sorted_keys[pos[pos_ok]] == ex_keys[pos_ok]
            ex_score[hit] = cand_s[pos[hit]]
            # An existing pair is already assigned: it is not a new candidate.
            usable[pos[hit]] = False
        ex_per_submission = np.bincount(ex[:, 0], minlength=submission_count)
        ex_per_reviewer = np.bincount(ex[:, 1], minlength=reviewer_count)
        need = np.maximum(k - ex_per_submission, 0)
        free = np.maximum(load - ex_per_reviewer, 0)
        want = np.maximum(least - ex_per_reviewer, 0)
        base = np.bincount(ex[:, 0], weights=ex_score, minlength=submission_count)

        candidate_count = np.bincount(cand_p[usable], minlength=submission_count)
        usable &= free[cand_r] > 0
        eligible_count = np.bincount(cand_p[usable], minlength=submission_count)
        # Papers without open slots cannot take new pairs; dropping them keeps the
        # graph small when most of a conference is already assigned.
        usable &= need[cand_p] > 0
        return cls(
            submission_count=submission_count,
            reviewer_count=reviewer_count,
            per_submission=k,
            max_load=load,
            need=need,
            free=free,
            want=want,
            arc_submission=cand_p[usable],
            arc_reviewer=cand_r[usable],
            arc_score=cand_s[usable],
            existing_submission=ex[:, 0].copy(),
            existing_reviewer=ex[:, 1].copy(),
            existing_score=ex_score,
            base_score=base,
            candidate_count=candidate_count,
            eligible_count=eligible_count,
        )


def assign(
    submission_count: int,
    reviewer_count: int,
    candidates: tuple[ArrayLike, ArrayLike, ArrayLike],
    *,
    per_submission: int | ArrayLike = 3,
    max_load: int | ArrayLike,
    min_load: int | ArrayLike = 0,
    conflicts: ArrayLike | None = None,
    existing: ArrayLike | None = None,
    fair: bool = False,
    lp_bound: bool = False,
) -> AssignmentResult:
    """Assign reviewers to papers optimally.

    ``candidates`` is ``(papers, reviewers, scores)``: the only eligible pairs,
    0-based indices. ``per_submission`` (k) and ``max_load`` are a scalar or one value
    per paper / reviewer. ``conflicts`` and ``existing`` are ``(n, 2)`` arrays of
    ``(paper, reviewer)``: conflicts are never assigned, existing pairs are kept
    and count toward k and load.

    ``min_load`` (scalar or per reviewer, capped at ``max_load``) is honoured
    where the candidates allow: after filling slots, the solver maximises the
    pairs toward the minimum loads, then affinity; reviewers left below are in
    ``below_min_load`` with the reason.

    Plain mode maximises the number of filled slots, then the total affinity.
    ``fair=True`` maximises filled slots, then (approximately, see
    :mod:`reviews.assignment.fair`) the lowest per-paper affinity, then the total;
    its lowest per-paper affinity is never below the plain optimum's, and it
    gives as many pairs toward the minimum loads (:mod:`.min_loads`).
    ``lp_bound=True`` puts the max-min LP bound (:mod:`.relax`) in
    ``stats["lp_bound"]``: no assignment has a higher lowest paper score.
    Infeasible inputs are not errors: short papers are listed in ``unfilled``.
    Malformed inputs (indices out of range, duplicate pairs, NaN) raise
    ``ValueError``.
    """
    started = time.perf_counter()
    instance = Instance.build(
        submission_count,
        reviewer_count,
        candidates,
        per_submission=per_submission,
        max_load=max_load,
        min_load=min_load,
        conflicts=conflicts,
        existing=existing,
    )
    stats: dict[str, float] = {}
    if fair:
        from .unit_scale import solve_fair_in_unit  # fair builds on this module

        flow, stats = solve_fair_in_unit(instance)
    else:
        flow = solve_weighted(instance)
    if lp_bound and instance.arc_submission.size and "lp_bound" not in stats:
        from .relax import lp_bound as max_min_bound

        bound = max_min_bound(instance, flow if not fair else solve_weighted(instance))
        if bound is not None:  # if HiGHS gives up, the figure is missing
            stats["lp_bound"] = bound
    return make_result(instance, flow, started=started, stats=stats)


def solve_weighted(
    instance: Instance, submission_weight: FloatArray | None = None
) -> NDArray[np.bool_]:
    """Max-flow, then the most pairs toward minimum loads, then max
    ``sum(weight[p] * score[p, r])`` (an exact optimum of that order); returns
    the arcs used. With no weights this is the plain optimum; the fairness pass
    calls it with per-paper weights (a Lagrangian relaxation of floors)."""
    arc_count = instance.arc_submission.size
    if arc_count == 0:
        return np.zeros(0, dtype=bool)
    value = instance.arc_score
    if submission_weight is not None:
        value = value * submission_weight[instance.arc_submission]
    want = np.minimum(instance.want, instance.free)
    submissions, reviewers = instance.submission_count, instance.reviewer_count
    nodes = submissions + reviewers + 2
    # A pair toward a minimum load is worth more than any change of affinity
    # along a cycle (at most ``nodes`` arcs): the bonus makes the order strict.
    minimums = np.flatnonzero(want)
    factor = nodes + 1 if minimums.size else 1
    scale = _cost_scale(value, nodes, factor)
    costs = -np.rint(value * scale).astype(np.int64)
    bonus = (nodes + 1) * max(int(np.abs(costs).max()), 1)

    source, sink = submissions + reviewers, submissions + reviewers + 1
    submission_ids = np.arange(submissions, dtype=np.int32)
    reviewer_ids = np.arange(submissions, submissions + reviewers, dtype=np.int32)
    tails = np.concatenate(
        [
            instance.arc_submission.astype(np.int32),
            np.full(submissions, source, dtype=np.int32),
            reviewer_ids,
            reviewer_ids[minimums],
        ]
    )
    heads = np.concatenate(
        [
            (instance.arc_reviewer + submissions).astype(np.int32),
            submission_ids,
            np.full(reviewers + minimums.size, sink, dtype=np.int32),
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(arc_count, dtype=np.int64),
            instance.need,
            instance.free - want,
            want[minimums],
        ]
    )
    unit_costs = np.concatenate(
        [
            costs,
            np.zeros(submissions + reviewers, dtype=np.int64),
            np.full(minimums.size, -bonus, dtype=np.int64),
        ]
    )

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    solver.set_node_supply(source, int(instance.need.sum()))
    solver.set_node_supply(sink, -int(instance.free.sum()))
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        # Only reachable through a bug here (bad ranges are prevented above).
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return solver.flows(np.arange(arc_count, dtype=np.int32)) > 0


def submission_scores(instance: Instance, used: NDArray[np.bool_]) -> FloatArray:
    """Per-paper total affinity of existing pairs plus the used arcs."""
    return instance.base_score + np.bincount(
        instance.arc_submission[used],
        weights=instance.arc_score[used],
        minlength=instance.submission_count,
    )


def make_result(
    instance: Instance,
    used: NDArray[np.bool_],
    *,
    started: float,
    stats: dict[str, float] | None = None,
) -> AssignmentResult:
    new_p = instance.arc_submission[used]
    new_r = instance.arc_reviewer[used]
    new_s = instance.arc_score[used]
    per_submission_scores = submission_scores(instance, used)
    assigned_count = np.bincount(
        instance.existing_submission, minlength=instance.submission_count
    ) + np.bincount(new_p, minlength=instance.submission_count)
    with_slots = instance.per_submission > 0
    min_score = (
        float(per_submission_scores[with_slots].min()) if with_slots.any() else nan
    )
    submissions = np.concatenate([instance.existing_submission, new_p])
    reviewers = np.concatenate([instance.existing_reviewer, new_r])
    scores = np.concatenate([instance.existing_score, new_s])
    is_new = np.concatenate(
        [
            np.zeros(instance.existing_submission.size, dtype=bool),
            np.ones(new_p.size, bool),
        ]
    )
    order = np.lexsort((reviewers, submissions))
    return AssignmentResult(
        submissions=submissions[order],
        reviewers=reviewers[order],
        scores=scores[order],
        is_new=is_new[order],
        submission_scores=per_submission_scores,
        assigned_count=assigned_count,
        total_score=float(scores.sum()),
        min_submission_score=min_score,
        unfilled=unfilled_reasons(instance, assigned_count, new_p),
        below_min_load=below_min_load(instance, new_r),
        seconds=time.perf_counter() - started,
        stats=stats or {},
    )


def _cost_scale(value: FloatArray, nodes: int, factor: int = 1) -> float:
    """A power of two: ``|value| * scale * factor`` fits OR-Tools' int64 range."""
    largest = float(np.abs(value).max()) * factor if value.size else 0.0
    if largest == 0.0:
        return 1.0
    # OR-Tools rejects max|cost| * (nodes + 1) >= 2**63; keep 2**8 of headroom.
    limit = min(COST_RESOLUTION * factor, _INT64_MAX // ((nodes + 1) * 256))
    return float(2.0 ** np.floor(np.log2(limit / largest)))

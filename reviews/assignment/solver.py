"""Optimal reviewer assignment as a min-cost max-flow (pure numpy + OR-Tools).

The graph is the classic one (HotCRP, OpenReview): ``source -> paper`` with
capacity ``k - existing``, ``paper -> reviewer`` with capacity 1 for every eligible
candidate pair, ``reviewer -> sink`` with capacity ``load - existing``.
``SimpleMinCostFlow.solve_max_flow_with_min_cost`` first maximises the flow (the
number of filled slots) and then minimises the cost among maximum flows, which is
exactly our lexicographic objective: fill every fillable slot, then maximise total
affinity. Bipartite flow polytopes are integral, so the result is a provable
optimum of the integer problem, not a rounding of an LP.

Costs are integers: ``-round(score * scale)``. ``scale`` is a power of two chosen
so that the largest ``|score|`` becomes about ``COST_RESOLUTION``; OR-Tools needs
``max|cost| * (nodes + 1)`` to fit in int64 (its cost-scaling multiplies costs by
the node count), which leaves orders of magnitude of headroom. The solution is
therefore optimal for the rounded scores and within ``slots / scale`` of the
real-valued optimum. Negative scores are fine: min-cost flow allows negative arc
costs, and because the flow is maximised first a negative pair is still used when
it is the only way to fill a slot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow

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

    ``papers[i], reviewers[i], scores[i]`` is one assignment; ``is_new[i]`` is
    False for the existing assignments that were kept. ``paper_scores`` is the
    total affinity per paper (existing assignments included; an existing pair that
    is not a listed candidate scores 0). ``min_paper_score`` is taken over the
    papers with k > 0 (``nan`` if there are none). ``unfilled`` maps each paper
    with fewer than k assignments to a human-readable reason.
    """

    papers: IntArray
    reviewers: IntArray
    scores: FloatArray
    is_new: NDArray[np.bool_]
    paper_scores: FloatArray
    assigned_count: IntArray
    total_score: float
    min_paper_score: float
    unfilled: dict[int, str]
    seconds: float
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def pairs(self) -> list[tuple[int, int, float]]:
        return [
            (int(p), int(r), float(s))
            for p, r, s in zip(self.papers, self.reviewers, self.scores, strict=True)
        ]

    @property
    def filled_slots(self) -> int:
        return int(self.is_new.sum())


@dataclass(frozen=True)
class Instance:
    """A validated problem in flat numpy arrays; built once, solved many times.

    ``arc_*`` are the eligible new pairs (candidates minus conflicts, minus
    existing assignments, minus pairs whose paper or reviewer has no room left).
    """

    paper_count: int
    reviewer_count: int
    per_paper: IntArray
    max_load: IntArray
    need: IntArray  # open slots per paper: k - existing, at least 0
    free: IntArray  # free load per reviewer: max_load - existing, at least 0
    arc_paper: IntArray
    arc_reviewer: IntArray
    arc_score: FloatArray
    existing_paper: IntArray
    existing_reviewer: IntArray
    existing_score: FloatArray
    base_score: FloatArray  # per-paper affinity already given by existing pairs
    candidate_count: IntArray  # per paper: listed, non-conflicted, not existing
    eligible_count: IntArray  # ... and the reviewer still has free load

    @classmethod
    def build(
        cls,
        paper_count: int,
        reviewer_count: int,
        candidates: tuple[ArrayLike, ArrayLike, ArrayLike],
        *,
        per_paper: int | ArrayLike = 3,
        max_load: int | ArrayLike,
        conflicts: ArrayLike | None = None,
        existing: ArrayLike | None = None,
    ) -> Instance:
        if paper_count < 0 or reviewer_count < 0:
            raise ValueError("paper_count and reviewer_count must be >= 0")
        cand_p = np.asarray(candidates[0], dtype=np.int64).ravel()
        cand_r = np.asarray(candidates[1], dtype=np.int64).ravel()
        cand_s = np.asarray(candidates[2], dtype=np.float64).ravel()
        if not (cand_p.shape == cand_r.shape == cand_s.shape):
            raise ValueError("candidate papers, reviewers and scores differ in length")
        _check_range("candidate paper", cand_p, paper_count)
        _check_range("candidate reviewer", cand_r, reviewer_count)
        if not np.isfinite(cand_s).all():
            raise ValueError("candidate scores must be finite")
        k = _per_entity("per_paper", per_paper, paper_count)
        load = _per_entity("max_load", max_load, reviewer_count)

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

        conf = _pairs("conflict", conflicts, paper_count, reviewer_count)
        if conf.size:
            conf_keys = conf[:, 0] * reviewer_count + conf[:, 1]
            usable &= ~_member(sorted_keys, conf_keys)

        ex = _pairs("existing", existing, paper_count, reviewer_count)
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
        ex_per_paper = np.bincount(ex[:, 0], minlength=paper_count)
        ex_per_reviewer = np.bincount(ex[:, 1], minlength=reviewer_count)
        need = np.maximum(k - ex_per_paper, 0)
        free = np.maximum(load - ex_per_reviewer, 0)
        base = np.bincount(ex[:, 0], weights=ex_score, minlength=paper_count)

        candidate_count = np.bincount(cand_p[usable], minlength=paper_count)
        usable &= free[cand_r] > 0
        eligible_count = np.bincount(cand_p[usable], minlength=paper_count)
        # Papers without open slots cannot take new pairs; dropping them keeps the
        # graph small when most of a conference is already assigned.
        usable &= need[cand_p] > 0
        return cls(
            paper_count=paper_count,
            reviewer_count=reviewer_count,
            per_paper=k,
            max_load=load,
            need=need,
            free=free,
            arc_paper=cand_p[usable],
            arc_reviewer=cand_r[usable],
            arc_score=cand_s[usable],
            existing_paper=ex[:, 0].copy(),
            existing_reviewer=ex[:, 1].copy(),
            existing_score=ex_score,
            base_score=base,
            candidate_count=candidate_count,
            eligible_count=eligible_count,
        )


def assign(
    paper_count: int,
    reviewer_count: int,
    candidates: tuple[ArrayLike, ArrayLike, ArrayLike],
    *,
    per_paper: int | ArrayLike = 3,
    max_load: int | ArrayLike,
    conflicts: ArrayLike | None = None,
    existing: ArrayLike | None = None,
    fair: bool = False,
) -> AssignmentResult:
    """Assign reviewers to papers optimally.

    ``candidates`` is ``(papers, reviewers, scores)``: the only eligible pairs,
    0-based indices. ``per_paper`` (k) and ``max_load`` are a scalar or one value
    per paper / reviewer. ``conflicts`` and ``existing`` are ``(n, 2)`` arrays of
    ``(paper, reviewer)``: conflicts are never assigned, existing pairs are kept
    and count toward k and load.

    Plain mode maximises the number of filled slots, then the total affinity.
    ``fair=True`` maximises filled slots, then (approximately, see
    :mod:`reviews.assignment.fair`) the lowest per-paper affinity, then the total;
    its lowest per-paper affinity is never below the plain optimum's.
    Infeasible inputs are not errors: short papers are listed in ``unfilled``.
    Malformed inputs (indices out of range, duplicate pairs, NaN) raise
    ``ValueError``.
    """
    started = time.perf_counter()
    instance = Instance.build(
        paper_count,
        reviewer_count,
        candidates,
        per_paper=per_paper,
        max_load=max_load,
        conflicts=conflicts,
        existing=existing,
    )
    if fair:
        from .fair import solve_fair  # fair builds on this module

        flow, stats = solve_fair(instance)
    else:
        flow = solve_weighted(instance)
        stats = {}
    return make_result(instance, flow, started=started, stats=stats)


def solve_weighted(
    instance: Instance, paper_weight: FloatArray | None = None
) -> NDArray[np.bool_]:
    """Max-flow, then max ``sum(weight[p] * score[p, r])``; returns arcs used.

    With no weights this is the plain optimum. The fairness pass calls it with
    per-paper weights (a Lagrangian relaxation of per-paper floors).
    """
    arc_count = instance.arc_paper.size
    if arc_count == 0:
        return np.zeros(0, dtype=bool)
    value = instance.arc_score
    if paper_weight is not None:
        value = value * paper_weight[instance.arc_paper]
    costs = -np.rint(value * _cost_scale(value, instance)).astype(np.int64)

    papers, reviewers = instance.paper_count, instance.reviewer_count
    source, sink = papers + reviewers, papers + reviewers + 1
    paper_ids = np.arange(papers, dtype=np.int32)
    reviewer_ids = np.arange(papers, papers + reviewers, dtype=np.int32)
    tails = np.concatenate(
        [
            instance.arc_paper.astype(np.int32),
            np.full(papers, source, dtype=np.int32),
            reviewer_ids,
        ]
    )
    heads = np.concatenate(
        [
            (instance.arc_reviewer + papers).astype(np.int32),
            paper_ids,
            np.full(reviewers, sink, dtype=np.int32),
        ]
    )
    capacities = np.concatenate(
        [np.ones(arc_count, dtype=np.int64), instance.need, instance.free]
    )
    unit_costs = np.concatenate([costs, np.zeros(papers + reviewers, dtype=np.int64)])

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    solver.set_node_supply(source, int(instance.need.sum()))
    solver.set_node_supply(sink, -int(instance.free.sum()))
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        # Only reachable through a bug here (bad ranges are prevented above).
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return solver.flows(np.arange(arc_count, dtype=np.int32)) > 0


def paper_scores(instance: Instance, used: NDArray[np.bool_]) -> FloatArray:
    """Per-paper total affinity of existing pairs plus the used arcs."""
    return instance.base_score + np.bincount(
        instance.arc_paper[used],
        weights=instance.arc_score[used],
        minlength=instance.paper_count,
    )


def make_result(
    instance: Instance,
    used: NDArray[np.bool_],
    *,
    started: float,
    stats: dict[str, float] | None = None,
) -> AssignmentResult:
    new_p = instance.arc_paper[used]
    new_r = instance.arc_reviewer[used]
    new_s = instance.arc_score[used]
    per_paper_scores = paper_scores(instance, used)
    assigned_count = np.bincount(
        instance.existing_paper, minlength=instance.paper_count
    ) + np.bincount(new_p, minlength=instance.paper_count)
    with_slots = instance.per_paper > 0
    min_score = float(per_paper_scores[with_slots].min()) if with_slots.any() else nan
    papers = np.concatenate([instance.existing_paper, new_p])
    reviewers = np.concatenate([instance.existing_reviewer, new_r])
    scores = np.concatenate([instance.existing_score, new_s])
    is_new = np.concatenate(
        [np.zeros(instance.existing_paper.size, dtype=bool), np.ones(new_p.size, bool)]
    )
    order = np.lexsort((reviewers, papers))
    return AssignmentResult(
        papers=papers[order],
        reviewers=reviewers[order],
        scores=scores[order],
        is_new=is_new[order],
        paper_scores=per_paper_scores,
        assigned_count=assigned_count,
        total_score=float(scores.sum()),
        min_paper_score=min_score,
        unfilled=_unfilled_reasons(instance, assigned_count, new_p),
        seconds=time.perf_counter() - started,
        stats=stats or {},
    )


def _unfilled_reasons(
    instance: Instance, assigned_count: IntArray, new_p: IntArray
) -> dict[int, str]:
    short = np.flatnonzero(assigned_count < instance.per_paper)
    got = np.bincount(new_p, minlength=instance.paper_count)
    reasons = {}
    for p in short.tolist():
        missing = int(instance.per_paper[p] - assigned_count[p])
        eligible = int(instance.eligible_count[p])
        if eligible < instance.need[p]:
            listed = int(instance.candidate_count[p])
            reason = (
                f"only {eligible} eligible reviewer{'s' if eligible != 1 else ''} "
                f"with free load (k={int(instance.per_paper[p])}, "
                f"{listed} non-conflicted candidates)"
            )
        else:
            # Enough candidates on paper, but a maximum flow proves that their
            # spare load cannot cover this paper and the others that need them.
            reason = (
                f"{eligible} eligible reviewers, but their free load is used up "
                f"by other papers (got {int(got[p])} of {int(instance.need[p])} "
                "open slots; the filled count is maximal)"
            )
        reasons[p] = f"{missing} short: {reason}"
    return reasons


def _cost_scale(value: FloatArray, instance: Instance) -> float:
    largest = float(np.abs(value).max()) if value.size else 0.0
    if largest == 0.0:
        return 1.0
    nodes = instance.paper_count + instance.reviewer_count + 2
    # OR-Tools rejects max|cost| * (nodes + 1) >= 2**63; keep 2**8 of headroom.
    limit = min(COST_RESOLUTION, _INT64_MAX // ((nodes + 1) * 256))
    return float(2.0 ** np.floor(np.log2(limit / largest)))


def _check_range(name: str, values: IntArray, size: int) -> None:
    if values.size and (values.min() < 0 or values.max() >= size):
        raise ValueError(f"{name} index out of range [0, {size})")


def _per_entity(name: str, value: int | ArrayLike, size: int) -> IntArray:
    array = np.asarray(value)
    if array.ndim == 0:
        array = np.full(size, int(array), dtype=np.int64)
    array = array.astype(np.int64)
    if array.shape != (size,):
        raise ValueError(f"{name} must be a scalar or have {size} entries")
    if (array < 0).any():
        raise ValueError(f"{name} must be >= 0")
    return array


def _pairs(
    name: str, value: ArrayLike | None, paper_count: int, reviewer_count: int
) -> IntArray:
    if value is None:
        return np.zeros((0, 2), dtype=np.int64)
    array = np.asarray(value, dtype=np.int64).reshape(-1, 2)
    _check_range(f"{name} paper", array[:, 0], paper_count)
    _check_range(f"{name} reviewer", array[:, 1], reviewer_count)
    return array


def _member(sorted_keys: IntArray, keys: IntArray) -> NDArray[np.bool_]:
    """Mask over ``sorted_keys``: which of them occur in ``keys``."""
    keys = np.unique(keys)
    pos = np.searchsorted(keys, sorted_keys)
    pos[pos == keys.size] = 0
    return keys[pos] == sorted_keys if keys.size else np.zeros(sorted_keys.size, bool)

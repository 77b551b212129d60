"""LP relaxations used to certify the solver (bench and tests only).

The plain problem's LP is integral (bipartite flow), so its bound equals the
optimum up to rounding: a ratio of 1.0 checks optimality. The max-min LP is the
standard upper bound for the fairness objective (PeerReview4All, FairFlow);
integral solutions can sit below it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

from .solver import Instance

__all__ = ["maxmin_lp_bound", "total_lp_bound"]


def _flow_rows(instance: Instance) -> tuple[csr_matrix, np.ndarray]:
    """``paper rows <= need`` and ``reviewer rows <= free`` over the arcs."""
    arcs = instance.arc_paper.size
    cols = np.arange(arcs)
    ones = np.ones(arcs)
    by_paper = coo_matrix(
        (ones, (instance.arc_paper, cols)), shape=(instance.paper_count, arcs)
    )
    by_reviewer = coo_matrix(
        (ones, (instance.arc_reviewer, cols)), shape=(instance.reviewer_count, arcs)
    )
    matrix = vstack([by_paper, by_reviewer]).tocsr()
    return matrix, np.concatenate([instance.need, instance.free]).astype(float)


def total_lp_bound(instance: Instance, filled: int) -> float | None:
    """Max total affinity of a fractional assignment filling ``filled`` slots."""
    arcs = instance.arc_paper.size
    if arcs == 0:
        return float(instance.base_score.sum())
    a_ub, b_ub = _flow_rows(instance)
    result = linprog(
        -instance.arc_score,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=np.ones((1, arcs)),
        b_eq=[filled],
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        return None
    return float(instance.base_score.sum() - result.fun)


def maxmin_lp_bound(instance: Instance, filled: int) -> float | None:
    """Max over fractional assignments filling ``filled`` slots of the lowest
    per-paper affinity (papers with k > 0)."""
    arcs = instance.arc_paper.size
    papers = np.flatnonzero(instance.per_paper > 0)
    a_ub, b_ub = _flow_rows(instance)
    a_ub = hstack([a_ub, csr_matrix((a_ub.shape[0], 1))]).tocsr()
    # Rows t - sum_r s[p, r] x[p, r] <= base[p], one per paper with slots.
    row_of = np.full(instance.paper_count, -1)
    row_of[papers] = np.arange(papers.size)
    keep = row_of[instance.arc_paper] >= 0
    floor = coo_matrix(
        (
            np.concatenate([-instance.arc_score[keep], np.ones(papers.size)]),
            (
                np.concatenate(
                    [row_of[instance.arc_paper[keep]], np.arange(papers.size)]
                ),
                np.concatenate([np.flatnonzero(keep), np.full(papers.size, arcs)]),
            ),
        ),
        shape=(papers.size, arcs + 1),
    )
    a_eq = csr_matrix(np.concatenate([np.ones(arcs), [0.0]])[None, :])
    cost = np.zeros(arcs + 1)
    cost[-1] = -1.0
    result = linprog(
        cost,
        A_ub=vstack([a_ub, floor]).tocsr(),
        b_ub=np.concatenate([b_ub, instance.base_score[papers]]),
        A_eq=a_eq,
        b_eq=[filled],
        bounds=[(0, 1)] * arcs + [(None, None)],
        method="highs",
    )
    if result.status != 0:
        return None
    return float(-result.fun)


def integral_maxmin_upper_bound(instance: Instance, thresholds: int = 12) -> float:
    """A certificate that no *integral* assignment has a higher minimum.

    For a threshold ``theta`` let ``cap_p`` be what paper p can score with no
    reviewer at or above ``theta`` (existing score plus its best ``need`` scores
    below ``theta``). If a unit-capacity max flow on pairs scoring at least
    ``theta`` cannot give one such reviewer to *every* paper with ``cap_p < c``,
    some of those papers score below ``c`` in every assignment, so the integral
    max-min is below ``c``. Binary search on ``c``, minimum over ``theta``. With
    clustered, bimodal affinities this is far below the LP bound: the LP splits
    scarce experts fractionally, an assignment cannot.
    """
    import dataclasses

    from .solver import solve_weighted

    with_slots = instance.need > 0
    best = float("inf")
    levels = np.linspace(0.5, 1, thresholds)
    for theta in np.unique(np.quantile(instance.arc_score, levels)):
        good = instance.arc_score >= theta
        low = ~good
        p, s = instance.arc_paper[low], instance.arc_score[low]
        order = np.lexsort((-s, p))
        p, s = p[order], s[order]
        rank = np.arange(p.size) - np.searchsorted(p, p)
        top = rank < instance.need[p]
        cap = instance.base_score + np.bincount(
            p[top], weights=s[top], minlength=instance.paper_count
        )

        def everyone_below_gets_one(
            c: float, good: np.ndarray = good, cap: np.ndarray = cap
        ) -> bool:
            must = with_slots & (cap < c)
            matching = dataclasses.replace(
                instance,
                arc_paper=instance.arc_paper[good],
                arc_reviewer=instance.arc_reviewer[good],
                arc_score=np.zeros(int(good.sum())),
                need=must.astype(np.int64),
            )
            return int(solve_weighted(matching).sum()) == int(must.sum())

        values = np.unique(cap[with_slots])
        lo, hi = 0, values.size  # invariant: c = values[i] feasible for i < lo
        while lo < hi:
            mid = (lo + hi) // 2
            if everyone_below_gets_one(float(np.nextafter(values[mid], np.inf))):
                lo = mid + 1
            else:
                hi = mid
        if lo < values.size:
            # Papers with cap <= values[lo] cannot all get a good reviewer.
            best = min(best, float(values[lo]))
    return best

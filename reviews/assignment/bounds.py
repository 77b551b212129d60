"""LP relaxations used to certify the solver (bench and tests only).

The plain problem's LP is integral (bipartite flow), so its bound equals the
optimum up to rounding: a ratio of 1.0 checks optimality. The max-min LP is the
standard upper bound for the fairness objective (PeerReview4All, FairFlow);
integral solutions can sit below it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, vstack

from .solver import Instance

__all__ = ["expert_coverage", "maxmin_lp_bound", "total_lp_bound"]


def _fill_rows(
    instance: Instance, filled: int, extra_columns: int = 0
) -> tuple[csr_matrix, np.ndarray, csr_matrix, np.ndarray]:
    """``A_ub x <= b_ub, A_eq x = b_eq`` for assignments filling ``filled`` slots.

    When every open slot is fillable, "fill ``filled`` slots" is the same as
    "fill each paper", sparse rows that HiGHS solves far faster than one dense
    row over all pairs (minutes versus hours at 400k pairs).
    """
    arcs = instance.arc_paper.size
    cols = np.arange(arcs)
    ones = np.ones(arcs)
    shape_cols = arcs + extra_columns
    by_paper = coo_matrix(
        (ones, (instance.arc_paper, cols)), shape=(instance.paper_count, shape_cols)
    ).tocsr()
    by_reviewer = coo_matrix(
        (ones, (instance.arc_reviewer, cols)),
        shape=(instance.reviewer_count, shape_cols),
    ).tocsr()
    need = instance.need.astype(float)
    free = instance.free.astype(float)
    if filled == int(instance.need.sum()):
        return by_reviewer, free, by_paper, need
    total = csr_matrix(np.concatenate([ones, np.zeros(extra_columns)])[None, :])
    return (
        vstack([by_paper, by_reviewer]).tocsr(),
        np.concatenate([need, free]),
        (total),
        np.array([float(filled)]),
    )


def total_lp_bound(instance: Instance, filled: int) -> float | None:
    """Max total affinity of a fractional assignment filling ``filled`` slots."""
    arcs = instance.arc_paper.size
    if arcs == 0:
        return float(instance.base_score.sum())
    a_ub, b_ub, a_eq, b_eq = _fill_rows(instance, filled)
    result = linprog(
        -instance.arc_score,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        return None
    return float(instance.base_score.sum() - result.fun)


def maxmin_lp_bound(instance: Instance, filled: int) -> float | None:
    """Max over fractional assignments filling ``filled`` slots of the lowest
    per-paper affinity (papers with k > 0). Interior point: the simplex stalls
    on the dense ``t`` column at 2,000 x 1,500."""
    arcs = instance.arc_paper.size
    papers = np.flatnonzero(instance.per_paper > 0)
    a_ub, b_ub, a_eq, b_eq = _fill_rows(instance, filled, extra_columns=1)
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
    cost = np.zeros(arcs + 1)
    cost[-1] = -1.0
    bounds = np.zeros((arcs + 1, 2))
    bounds[:, 1] = 1.0
    # t is at most the best paper could score; a finite box helps the IPM.
    bounds[-1] = [-np.inf, _score_ceiling(instance)]
    result = linprog(
        cost,
        A_ub=vstack([a_ub, floor]).tocsr(),
        b_ub=np.concatenate([b_ub, instance.base_score[papers]]),
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs-ipm",
    )
    if result.status != 0:
        return None
    return float(-result.fun)


def _score_ceiling(instance: Instance) -> float:
    top = float(np.abs(instance.arc_score).max()) if instance.arc_score.size else 0.0
    return float(instance.base_score.max() + top * max(int(instance.need.max()), 1))


def expert_coverage(instance: Instance, theta: float) -> int:
    """The most papers that can get at least one reviewer scoring ``>= theta``.

    A unit-capacity max flow on those pairs. When it is below the number of papers,
    that many papers score below ``theta`` on *every* reviewer in any integral
    assignment, while the LP can still give each a fraction of an expert: it
    explains a large gap between the max-min LP bound and any assignment.
    """
    import dataclasses

    from .solver import solve_weighted

    good = instance.arc_score >= theta
    matching = dataclasses.replace(
        instance,
        arc_paper=instance.arc_paper[good],
        arc_reviewer=instance.arc_reviewer[good],
        arc_score=np.zeros(int(good.sum())),
        need=np.minimum(instance.need, 1),
    )
    return int(solve_weighted(matching).sum())

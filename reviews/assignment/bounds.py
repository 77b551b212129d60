"""LP relaxations used to certify the solver (bench and tests), and the
fill and load rows (:func:`fill_rows`) that :mod:`.relax` builds its LPs on.

The plain problem's LP is integral (bipartite flow), so its bound equals the
optimum up to rounding: a ratio of 1.0 checks optimality. The max-min LP is the
standard upper bound for the fairness objective (PeerReview4All, FairFlow);
integral solutions can sit below it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, vstack

from .arcs import floor_milp
from .solver import Instance, IntArray

__all__ = [
    "expert_coverage",
    "fill_rows",
    "integral_maxmin_bound",
    "integral_total_at_floor",
    "maxmin_lp_bound",
    "total_lp_bound",
]


def fill_rows(
    instance: Instance, filled: int, extra_columns: int = 0
) -> tuple[csr_matrix, np.ndarray, csr_matrix, np.ndarray]:
    """``A_ub x <= b_ub, A_eq x = b_eq`` for assignments filling ``filled`` slots
    (the loads are ``A_ub``'s last rows); also :class:`.relax.Relaxation`'s.

    When every open slot is fillable, "fill ``filled`` slots" is the same as
    "fill each paper", sparse rows that HiGHS solves far faster than one dense
    row over all pairs (minutes versus hours at 400k pairs).
    """
    arcs = instance.arc_submission.size
    cols = np.arange(arcs)
    ones = np.ones(arcs)
    shape_cols = arcs + extra_columns
    by_submission = coo_matrix(
        (ones, (instance.arc_submission, cols)),
        shape=(instance.submission_count, shape_cols),
    ).tocsr()
    by_reviewer = coo_matrix(
        (ones, (instance.arc_reviewer, cols)),
        shape=(instance.reviewer_count, shape_cols),
    ).tocsr()
    need = instance.need.astype(float)
    free = instance.free.astype(float)
    if filled == int(instance.need.sum()):
        return by_reviewer, free, by_submission, need
    total = csr_matrix(np.concatenate([ones, np.zeros(extra_columns)])[None, :])
    return (
        vstack([by_submission, by_reviewer]).tocsr(),
        np.concatenate([need, free]),
        (total),
        np.array([float(filled)]),
    )


def total_lp_bound(instance: Instance, filled: int) -> float | None:
    """Max total affinity of a fractional assignment filling ``filled`` slots."""
    arcs = instance.arc_submission.size
    if arcs == 0:
        return float(instance.base_score.sum())
    a_ub, b_ub, a_eq, b_eq = fill_rows(instance, filled)
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
    arcs = instance.arc_submission.size
    submissions = np.flatnonzero(instance.per_submission > 0)
    a_ub, b_ub, a_eq, b_eq = fill_rows(instance, filled, extra_columns=1)
    # Rows t - sum_r s[p, r] x[p, r] <= base[p], one per paper with slots.
    row_of = np.full(instance.submission_count, -1)
    row_of[submissions] = np.arange(submissions.size)
    keep = row_of[instance.arc_submission] >= 0
    floor = coo_matrix(
        (
            np.concatenate([-instance.arc_score[keep], np.ones(submissions.size)]),
            (
                np.concatenate(
                    [row_of[instance.arc_submission[keep]], np.arange(submissions.size)]
                ),
                np.concatenate([np.flatnonzero(keep), np.full(submissions.size, arcs)]),
            ),
        ),
        shape=(submissions.size, arcs + 1),
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
        b_ub=np.concatenate([b_ub, instance.base_score[submissions]]),
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
        arc_submission=instance.arc_submission[good],
        arc_reviewer=instance.arc_reviewer[good],
        arc_score=np.zeros(int(good.sum())),
        need=np.minimum(instance.need, 1),
    )
    return int(solve_weighted(matching).sum())


def integral_maxmin_bound(
    instance: Instance, thetas: int = 12, tolerance: float = 1e-3
) -> tuple[float, float] | None:
    """A certified upper bound on the max-min of *integral* full assignments.

    Returns ``(bound, theta)``, or None unless every open slot can be filled
    (the bound argues about full assignments; plain mode checks fillability).

    The argument, for one threshold ``theta`` and target ``T``: paper p's
    candidates split into experts (``>= theta``) and the rest. With ``j``
    experts among its ``need`` new reviewers, p scores at most
    ``base + (best j experts) + (best need - j others)``, increasing in ``j``;
    so p needs at least ``n_p(T)`` experts to reach ``T`` (the smallest ``j``
    that can). Any integral assignment with minimum ``>= T`` therefore contains
    an expert-only flow giving every paper ``n_p(T)`` reviewers within their
    loads. If the maximum such flow is smaller than ``sum n_p(T)`` no integral
    assignment reaches ``T``. ``n_p`` only grows with ``T``, so the smallest
    failing ``T`` is found by bisection, for each ``theta`` on a grid of score
    quantiles; the best (lowest) is returned. The LP relaxation escapes this
    argument by splitting experts fractionally, which is why it can be far
    lower than the LP bound on expert-scarce instances.
    """
    import dataclasses

    from .solver import solve_weighted

    need = instance.need
    plain = solve_weighted(instance)
    if int(plain.sum()) < int(need.sum()):
        return None
    # The plain optimum reaches its own minimum, so every necessary test
    # passes there: a sound lower end for the bisection.
    plain_scores = instance.base_score + np.bincount(
        instance.arc_submission[plain],
        weights=instance.arc_score[plain],
        minlength=instance.submission_count,
    )
    submissions = np.flatnonzero(instance.per_submission > 0)
    if submissions.size == 0:
        return None
    if instance.arc_score.size == 0:  # nothing to assign: the minimum is fixed
        return float(plain_scores[submissions].min()), float("nan")
    score, submission = instance.arc_score, instance.arc_submission
    start = np.searchsorted(submission, np.arange(instance.submission_count + 1))
    # Each paper's candidates best first (arcs are sorted by paper).
    order = np.lexsort((-score, submission))
    ceiling = _score_ceiling(instance)
    best: tuple[float, float] | None = None
    for theta in np.unique(np.quantile(score, np.linspace(0.5, 0.98, thetas))):
        expert = score[order] >= theta
        # value[p, j]: p's best score with exactly j experts (-inf if it lacks
        # j experts or need - j others).
        k_max = int(need.max())
        value = np.full((instance.submission_count, k_max + 1), -np.inf)
        for p in submissions.tolist():
            ranked = score[order[start[p] : start[p + 1]]]
            is_expert = expert[start[p] : start[p + 1]]
            hi, lo = ranked[is_expert], ranked[~is_expert]
            hi_sum = np.concatenate([[0.0], np.cumsum(hi)])
            lo_sum = np.concatenate([[0.0], np.cumsum(lo)])
            n = int(need[p])
            for j in range(n + 1):
                if j < hi_sum.size and n - j < lo_sum.size:
                    value[p, j] = instance.base_score[p] + hi_sum[j] + lo_sum[n - j]
        arcs = score >= theta
        experts_only = dataclasses.replace(
            instance,
            arc_submission=submission[arcs],
            arc_reviewer=instance.arc_reviewer[arcs],
            arc_score=np.zeros(int(arcs.sum())),
        )

        def feasible(target: float, value=value, experts=experts_only) -> bool:
            return _experts_suffice(value[submissions], submissions, experts, target)

        low, high = float(plain_scores[submissions].min()), ceiling
        if feasible(high):
            continue
        while high - low > tolerance:
            middle = 0.5 * (low + high)
            if feasible(middle):
                low = middle
            else:
                high = middle
        if best is None or high < best[0]:
            best = (high, float(theta))
    return best if best is not None else (ceiling, float("nan"))


def _experts_suffice(
    value: np.ndarray, submissions: np.ndarray, experts: Instance, target: float
) -> bool:
    """Can every paper get the experts it needs to reach ``target``?"""
    import dataclasses

    from .solver import solve_weighted

    reach = value >= target
    if not reach.any(axis=1).all():
        return False
    wanted = np.zeros(experts.submission_count, dtype=np.int64)
    wanted[submissions] = reach.argmax(axis=1)  # the fewest experts that reach it
    if not wanted.any():
        return True
    flow = solve_weighted(dataclasses.replace(experts, need=wanted))
    return int(flow.sum()) == int(wanted.sum())


def integral_total_at_floor(
    instance: Instance, count: IntArray, floor: float, *, time_limit: float
) -> tuple[float | None, bool]:
    """An upper bound on the total of any *integral* assignment giving each
    paper ``count`` reviewers and every paper with some at least ``floor``.

    HiGHS's branch and bound on every arc: its dual bound holds whenever it
    stops, and equals the optimum (``exact``) when it finishes. Returns
    ``(None, True)`` when it proves no such assignment exists, ``(None,
    False)`` when it found no bound in time. Only small instances finish: at
    12k arcs in 0.3-5 s, at 400k arcs not even the root LP in 120 s. Where the
    max-min LP's fractional experts are what reaches the floor, this is far
    below the LP's best total at the same floor (``small`` seed 3 at 0.95 of
    the max-min LP bound: 0.9933 of the plain total, the LP 0.9981).
    """
    columns = np.flatnonzero(count[instance.arc_submission] > 0)
    result = floor_milp(instance, columns, count, floor, time_limit)
    if result.status == 2:  # proven infeasible
        return None, True
    bound = getattr(result, "mip_dual_bound", None)
    if bound is None or not np.isfinite(bound):
        return None, False
    return float(instance.base_score.sum() - bound), result.status == 0

"""Fair assignment, second stage: LP support -> CP-SAT max-min -> MILP total.

Used by :mod:`reviews.assignment.fair` after its augmenting-path local search
(whose result ``A`` stays the fallback). Three solves on restricted arc sets:

1. **LP support.** Bisect a floor ``T`` on the LP "maximise total affinity with
   every paper at least ``T``" (an elastic shortfall per paper keeps it
   feasible; zero shortfall = fractionally reachable) over each paper's best
   ``LP_TOP`` candidates plus ``A``. The union of the arcs the solved LPs use
   is where good integral assignments live.
2. **Max-min.** CP-SAT maximises the lowest per-paper affinity on that support
   plus ``A``'s arcs (integer-scaled scores), hinted with ``A``, so it starts at
   ``A``'s minimum and only goes up.
3. **Total.** HiGHS maximises the total with every paper at least that minimum
   on each paper's best ``MILP_TOP`` candidates plus the arcs of ``A``, of the
   plain optimum and of step 2: lifting the minimum costs total, and the plain
   arcs are what gives it back. If it finds nothing in time, step 2's
   assignment is kept as is.

Every stage keeps each paper's number of reviewers from ``A``; the caller checks
the result on real scores and keeps ``A`` unless the minimum and the total are
both at least as good.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, hstack, vstack

from .solver import FloatArray, Instance, IntArray, paper_scores

__all__ = ["improve"]

# Candidates per paper in the LP (stage 1) and in the total MILP (stage 3).
LP_TOP = 50
MILP_TOP = 5
# Floor bisection steps on the LP; each is one HiGHS solve (~1.5 s at 2,000 x
# 1,500).
LP_STEPS = 3
# Shortfall penalty of the elastic LP, per unit of affinity (scores are ~1).
LP_PENALTY = 100.0
# Integer steps across the largest |score| for CP-SAT.
SCALE = 10_000
# Shares of the remaining time budget for stages 2 and 3.
MAXMIN_SHARE = 0.6
CP_WORKERS = 2


def improve(
    instance: Instance,
    current: NDArray[np.bool_],
    extra: NDArray[np.bool_],
    *,
    deadline: float,
) -> NDArray[np.bool_] | None:
    """A (hopefully) fairer assignment with each paper's count from ``current``.

    ``extra`` marks arcs offered to the total MILP besides the best candidates
    (the plain optimum). Returns None when a stage fails.
    """
    paper = instance.arc_paper
    count = np.bincount(paper[current], minlength=instance.paper_count)
    if not count.any() or time.perf_counter() >= deadline:
        return None
    order = np.lexsort((-instance.arc_score, paper))
    start = np.searchsorted(paper[order], np.arange(instance.paper_count + 1))
    rank = np.arange(order.size) - start[paper[order]]
    open_arcs = count[paper] > 0  # a paper's count never changes here

    def top(size: int) -> NDArray[np.bool_]:
        mask = np.zeros(paper.size, dtype=bool)
        mask[order[rank < size]] = True
        return mask & open_arcs

    scores = paper_scores(instance, current)
    active = count > 0
    low = float(scores[active].min())
    high = float(
        (
            instance.base_score
            + np.bincount(
                paper[order],
                weights=np.where(
                    rank < count[paper[order]], instance.arc_score[order], 0.0
                ),
                minlength=instance.paper_count,
            )
        )[active].min()
    )
    support = _lp_support(instance, top(LP_TOP) | current, count, low, high, deadline)
    if support is None:
        return None
    share = MAXMIN_SHARE * (deadline - time.perf_counter())
    lifted = _maxmin(
        instance, support | current, count, current, time.perf_counter() + share
    )
    if lifted is None:
        return None
    floor = float(paper_scores(instance, lifted)[active].min())
    best = _max_total(
        instance,
        top(MILP_TOP) | current | (extra & open_arcs) | lifted,
        count,
        floor,
        deadline,
    )
    return lifted if best is None else best


def _rows(
    instance: Instance, columns: IntArray, count: IntArray, extra: int
) -> tuple[coo_matrix, coo_matrix, coo_matrix, IntArray]:
    """Fill, load and score rows over ``columns`` (+ ``extra`` free columns)."""
    n = columns.size
    width = n + extra
    cp = instance.arc_paper[columns]
    active = np.flatnonzero(count > 0)
    row = np.full(instance.paper_count, -1)
    row[active] = np.arange(active.size)
    ok = row[cp] >= 0
    cols = np.flatnonzero(ok)
    fill = coo_matrix((np.ones(cols.size), (row[cp[ok]], cols)), (active.size, width))
    loads = coo_matrix(
        (np.ones(n), (instance.arc_reviewer[columns], np.arange(n))),
        (instance.reviewer_count, width),
    )
    value = instance.arc_score[columns]
    score = coo_matrix((value[ok], (row[cp[ok]], cols)), (active.size, width))
    return fill, loads, score, active


def _lp_support(
    instance: Instance,
    allowed: NDArray[np.bool_],
    count: IntArray,
    low: float,
    high: float,
    deadline: float,
) -> NDArray[np.bool_] | None:
    columns = np.flatnonzero(allowed)
    n = columns.size
    fill, loads, score, active = _rows(instance, columns, count, 0)
    m = active.size
    shortfall = coo_matrix((np.ones(m), (np.arange(m), np.arange(m))), (m, m))
    a_ub = vstack(
        [
            hstack([loads, coo_matrix((instance.reviewer_count, m))]),
            -hstack([score, shortfall]),
        ]
    ).tocsr()
    a_eq = hstack([fill, coo_matrix((m, m))]).tocsr()
    cost = np.concatenate([-instance.arc_score[columns], np.full(m, LP_PENALTY)])
    bounds = np.zeros((n + m, 2))
    bounds[:n, 1] = 1.0
    bounds[n:, 1] = np.inf
    support = np.zeros(allowed.size, dtype=bool)
    solved = False
    target = high
    for _ in range(LP_STEPS):
        if time.perf_counter() > deadline:
            break
        result = linprog(
            cost,
            A_ub=a_ub,
            b_ub=np.concatenate(
                [instance.free, -(target - instance.base_score[active])]
            ),
            A_eq=a_eq,
            b_eq=count[active],
            bounds=bounds,
            method="highs",
        )
        if result.status != 0:
            break
        solved = True
        if result.x[n:].sum() <= 1e-6:
            support[columns[result.x[:n] > 1e-7]] = True
            low = target
        else:
            high = target
        target = 0.5 * (low + high)
    if solved and support.any() and time.perf_counter() < deadline:
        # One more LP at the best floor with a perturbed total: a vertex is
        # nearly integral, and a second one widens the support CP-SAT gets.
        noise = np.random.default_rng(0).uniform(0.7, 1.3, n)
        result = linprog(
            np.concatenate([cost[:n] * noise, cost[n:]]),
            A_ub=a_ub,
            b_ub=np.concatenate([instance.free, -(low - instance.base_score[active])]),
            A_eq=a_eq,
            b_eq=count[active],
            bounds=bounds,
            method="highs",
        )
        if result.status == 0:
            support[columns[result.x[:n] > 1e-7]] = True
    return support if solved else None


def _scaled(instance: Instance) -> tuple[FloatArray, float]:
    largest = max(
        float(np.abs(instance.arc_score).max()) if instance.arc_score.size else 0.0,
        float(np.abs(instance.base_score).max()),
        1e-12,
    )
    scale = SCALE / largest
    return np.rint(instance.arc_score * scale), scale


def _maxmin(
    instance: Instance,
    allowed: NDArray[np.bool_],
    count: IntArray,
    hint: NDArray[np.bool_],
    deadline: float,
) -> NDArray[np.bool_] | None:
    columns = np.flatnonzero(allowed)
    value, scale = _scaled(instance)
    value = value[columns].astype(np.int64)
    base = np.rint(instance.base_score * scale).astype(np.int64)
    cp = instance.arc_paper[columns]
    cr = instance.arc_reviewer[columns]
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(columns.size)]
    reach = max(int(np.abs(value).max()) if value.size else 0, 1) * int(count.max())
    lowest = model.new_int_var(int(base.min()) - reach, int(base.max()) + reach, "")
    order = np.argsort(cp, kind="stable")
    cuts = np.searchsorted(cp[order], np.arange(instance.paper_count + 1))
    for p in np.flatnonzero(count > 0).tolist():
        sel = order[cuts[p] : cuts[p + 1]].tolist()
        xs = [x[j] for j in sel]
        model.add(sum(xs) == int(count[p]))
        model.add(
            cp_model.LinearExpr.weighted_sum(xs, value[sel].tolist()) + int(base[p])
            >= lowest
        )
    for p in np.flatnonzero(count == 0).tolist():
        for j in order[cuts[p] : cuts[p + 1]].tolist():
            model.add(x[j] == 0)
    order = np.argsort(cr, kind="stable")
    cuts = np.searchsorted(cr[order], np.arange(instance.reviewer_count + 1))
    for r in range(instance.reviewer_count):
        if cuts[r + 1] - cuts[r] > instance.free[r]:
            sel = order[cuts[r] : cuts[r + 1]].tolist()
            model.add(sum(x[j] for j in sel) <= int(instance.free[r]))
    for j, on in enumerate(hint[columns].tolist()):
        model.add_hint(x[j], on)
    model.maximize(lowest)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    solver.parameters.num_workers = CP_WORKERS
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    used = np.zeros(allowed.size, dtype=bool)
    used[columns] = [solver.boolean_value(v) for v in x]
    return used


def _max_total(
    instance: Instance,
    allowed: NDArray[np.bool_],
    count: IntArray,
    floor: float,
    deadline: float,
) -> NDArray[np.bool_] | None:
    limit = deadline - time.perf_counter()
    if limit <= 0.1:
        return None
    columns = np.flatnonzero(allowed)
    fill, loads, score, active = _rows(instance, columns, count, 0)
    constraints = [
        LinearConstraint(fill, count[active], count[active]),
        LinearConstraint(loads, -np.inf, instance.free),
        LinearConstraint(score, floor - instance.base_score[active] - 1e-7, np.inf),
    ]
    result = milp(
        -instance.arc_score[columns],
        constraints=constraints,
        integrality=np.ones(columns.size),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": limit, "disp": False},
    )
    if result.x is None:
        return None
    used = np.zeros(allowed.size, dtype=bool)
    used[columns] = result.x > 0.5
    # Tolerances: an arc set that breaks a count or a load is discarded.
    if (
        not np.array_equal(
            np.bincount(instance.arc_paper[used], minlength=instance.paper_count), count
        )
        or (
            np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count)
            > instance.free
        ).any()
    ):
        return None
    return used

"""Fair assignment, later stages: LP support -> floor raising -> MILP total.

Used by :mod:`reviews.assignment.fair` after its augmenting-path local search
(whose result ``A`` stays the fallback). :func:`improve` is phase 3, three
solves on restricted arc sets:

1. **LP support** (here). Bisect a floor ``T`` on the LP "maximise total
   affinity with every paper at least ``T``" (an elastic shortfall per paper
   keeps it feasible; zero shortfall = fractionally reachable) over each
   paper's best ``LP_TOP`` candidates plus ``A``. The union of the arcs the
   solved LPs use is where good integral assignments live.
2. **Raise the floor** (:func:`reviews.assignment.floor.raise_floor`) on that
   support plus ``A``'s arcs, hinted with ``A``, so it starts at ``A``'s
   minimum and only goes up. The support is small (~13k arcs at 2,000 x 1,500),
   so CP-SAT proves each step reachable or not in seconds: 1.982 -> 2.015 in
   ~35 s there, where CP-SAT maximising the minimum on the same arcs reached
   2.007-2.012 in 25 s.
3. **Total** (:func:`reviews.assignment.merging.merge_total`). HiGHS maximises
   the total with every paper at least step 2's minimum, on the union of a few
   assignments' arcs: step 2's, its flow restoration's and the plain optimum's
   (lifting the minimum costs total, and the plain arcs are what gives it
   back), then the arcs the LP at that floor points to (min-cost flows weighted
   by its floor rows' duals, its support, the arcs of lowest reduced cost), one
   more set per solve while time remains.

``merge_total`` is also the caller's restoration when step 3 ran out of time.
Every stage keeps each paper's number of reviewers from ``A``; the caller
compares results on real scores.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, hstack, vstack

from .arcs import constraint_rows, rank_in_submission
from .floor import raise_floor
from .merging import merge_total
from .solver import Instance, IntArray, submission_scores

__all__ = ["improve"]

logger = logging.getLogger(__name__)

# Candidates per paper in the LP (stage 1).
LP_TOP = 50
# Floor bisection steps on the LP; each is one HiGHS solve (~1.5 s at 2,000 x
# 1,500).
LP_STEPS = 3
# Shortfall penalty of the elastic LP, per unit of affinity (scores are ~1).
LP_PENALTY = 100.0
# Seconds kept for merge_total (at most 45% of what remains after the LP): its
# first three solves give most of the total back in ~10 s at 2,000 x 1,500.
MERGE_RESERVE = 30.0


def improve(
    instance: Instance,
    current: NDArray[np.bool_],
    extra: NDArray[np.bool_],
    *,
    deadline: float,
    restore: Callable[[NDArray[np.bool_]], NDArray[np.bool_]] | None = None,
) -> NDArray[np.bool_] | None:
    """A (hopefully) fairer assignment with each paper's count from ``current``.

    ``extra`` marks arcs offered to the total MILP (the plain optimum).
    ``restore`` (the caller's flow-based restoration of the total, keeping the
    minimum) adds its arcs too. Returns None when a stage fails.
    """
    restore = restore or (lambda used: used)
    submission = instance.arc_submission
    count = np.bincount(submission[current], minlength=instance.submission_count)
    if not count.any() or time.perf_counter() >= deadline:
        return None
    rank = rank_in_submission(instance)
    open_arcs = count[submission] > 0  # a paper's count never changes here

    def top(size: int) -> NDArray[np.bool_]:
        return (rank < size) & open_arcs

    scores = submission_scores(instance, current)
    active = count > 0
    low = float(scores[active].min())
    high = float(
        (
            instance.base_score
            + np.bincount(
                submission,
                weights=np.where(rank < count[submission], instance.arc_score, 0.0),
                minlength=instance.submission_count,
            )
        )[active].min()
    )
    support = _lp_support(instance, top(LP_TOP) | current, count, low, high, deadline)
    if support is None:
        logger.info("improve: no LP support in time")
        return None
    reserve = min(MERGE_RESERVE, 0.45 * (deadline - time.perf_counter()))
    allowed = support | current
    restricted = dataclasses.replace(
        instance,
        arc_submission=submission[allowed],
        arc_reviewer=instance.arc_reviewer[allowed],
        arc_score=instance.arc_score[allowed],
    )
    raised = raise_floor(restricted, current[allowed], deadline=deadline - reserve)
    if raised is None:
        return None
    columns = np.flatnonzero(allowed)

    def widen(used: NDArray[np.bool_]) -> NDArray[np.bool_]:
        full = np.zeros(submission.size, dtype=bool)
        full[columns[used]] = True
        return full

    lifted = widen(raised)
    logger.info(
        "improve: floor on the LP support %s -> %s",
        low,
        submission_scores(instance, lifted)[active].min(),
    )
    # Give the total back at the raised floor: the flow restoration keeps
    # lifted's minimum and only adds total, so it is the start; merging it with
    # the plain optimum (which carries the total) and lifted does the rest.
    start = restore(lifted)
    return merge_total(instance, start, [extra & open_arcs, lifted], deadline=deadline)


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
    fill, loads, score, active = constraint_rows(instance, columns, count, 0)
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

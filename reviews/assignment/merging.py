"""Fair assignment, phase 3 step 3: give the total back by solution merging.

:func:`merge_total` maximises the total with every paper at least a given
assignment's minimum, with HiGHS, on the union of a few good assignments' arcs.
Used by :func:`reviews.assignment.exact.improve` after the floor raising and by
:mod:`reviews.assignment.fair` as its restoration when that ran out of time.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterable, Iterator

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from .arcs import constraint_rows
from .solver import FloatArray, Instance, IntArray, solve_weighted, submission_scores

__all__ = ["merge_total"]

logger = logging.getLogger(__name__)

# merge_total's leaning flows: the extra weight of a paper at the floor, one
# flow per strength, and the band above the floor (a share of it) they favour.
LEAN_STRENGTHS = (0.5, 1.0, 2.0, 4.0)
LEAN_BAND = 0.05
# Seconds for one merging MILP (0.3-9 s each at 2,000 x 1,500): one that finds
# nothing leaves time for the next, which has more arcs to choose from.
MERGE_SOLVE_LIMIT = 10.0
# Scores are ~1: a smaller gain in total or dip below the floor is rounding.
EPS = 1e-9


def merge_total(
    instance: Instance,
    current: NDArray[np.bool_],
    pool: Iterable[NDArray[np.bool_]],
    *,
    deadline: float,
) -> NDArray[np.bool_]:
    """The best total found with every paper at least ``current``'s minimum.

    Solution merging: HiGHS maximises the total, each paper at least the floor
    and at its count from ``current``, on the union of a few good
    assignments' arcs only; the union grows by one assignment per solve: the
    ``pool`` (the plain optimum, which carries the total; other good
    assignments), then min-cost flows leaning towards the papers near the floor
    (:func:`_leaning_flows`). ``current`` is always among the arcs, so every
    model is feasible; the best total so far is kept, and returned when time
    runs out (``current`` if nothing better was found).

    Why not the usual "each paper's best candidates": that MILP (~15k arcs at
    2,000 x 1,500) often found no feasible point in 30-40 s near the max-min,
    where the union of two or three assignments (~10k arcs, each paper only a
    handful of options) solves to optimality in 0.3-5 s. Measured on the bench
    instance at a floor of 2.0148 (plain total = 100%): the lifted assignment
    99.28%; merged with the plain optimum and the flow restoration 99.54% in
    2.4 s; with four leaning flows 99.60% after 25 s; the best-candidates MILP,
    when it solved at all, 99.58%.
    """
    submission = instance.arc_submission
    count = np.bincount(submission[current], minlength=instance.submission_count)
    active = count > 0
    if not active.any():
        return current
    scores = submission_scores(instance, current)
    floor = float(scores[active].min())
    open_arcs = active[submission]
    best, best_total = current, float(scores.sum())
    arcs = current.copy()
    for extra in itertools.chain(pool, _leaning_flows(instance, scores, floor)):
        if time.perf_counter() >= deadline:
            break
        added = extra & open_arcs & ~arcs
        if not added.any():
            continue
        arcs |= added
        limit = min(deadline, time.perf_counter() + MERGE_SOLVE_LIMIT)
        found = _max_total(instance, arcs | best, count, floor, limit)
        if found is None:
            logger.info("merge_total: no solution on %s arcs in time", arcs.sum())
            continue
        found_scores = submission_scores(instance, found)
        total = float(found_scores.sum())
        # HiGHS's feasibility tolerance: a floor broken by rounding is refused.
        if found_scores[active].min() >= floor - EPS and total > best_total + EPS:
            best, best_total = found, total
        logger.info("merge_total: %s arcs, total %s", arcs.sum(), best_total)
    return best


def _leaning_flows(
    instance: Instance, scores: FloatArray, floor: float
) -> Iterator[NDArray[np.bool_]]:
    """Max-total flows with papers near the floor weighted up (lazily).

    A paper at the floor counts ``1 + c`` times, one ``LEAN_BAND`` above it or
    higher once, linearly in between: a cheap stand-in for the Lagrange
    multipliers of the floor rows, whose optimal flows mix total and fairness.
    Their own minimum is poor (0.92-1.00 on the bench instance, floor 2.01),
    but their arcs let the merging MILP trade between the two.
    """
    band = LEAN_BAND * max(abs(floor), EPS)
    nearness = np.clip((floor + band - scores) / band, 0.0, 1.0)
    for strength in LEAN_STRENGTHS:
        yield solve_weighted(instance, submission_weight=1.0 + strength * nearness)


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
    fill, loads, score, active = constraint_rows(instance, columns, count, 0)
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
            np.bincount(
                instance.arc_submission[used], minlength=instance.submission_count
            ),
            count,
        )
        or (
            np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count)
            > instance.free
        ).any()
    ):
        return None
    return used

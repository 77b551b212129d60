"""Fair assignment, phase 3 step 3: give the total back by solution merging.

:func:`merge_total` maximises the total with every paper at least a given
assignment's minimum, with HiGHS, on the union of a few good arc sets: first
those the LP "best total with every paper at that floor" suggests (its
Lagrangian flows, its support and its lowest reduced costs), then the caller's.
Used by :func:`reviews.assignment.exact.improve` after the floor raising and by
:mod:`reviews.assignment.fair` as its restoration when that ran out of time or
found no higher floor.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterable, Iterator

import numpy as np
from numpy.typing import NDArray

from .arcs import floor_milp
from .relax import Relaxation
from .solver import FloatArray, Instance, IntArray, solve_weighted, submission_scores

__all__ = ["best_total_on", "merge_total"]

logger = logging.getLogger(__name__)

# merge_total's LP pool: pricing rounds of the LP at the floor (3: within 0.01%
# of its optimum, 1.6 s at 2,500 x 1,800, where all ~12 rounds take 5-7 s);
# multiples of its floor multipliers, one flow each; an LP value above SUPPORT
# counts as an arc of its support; then kernels of the arcs cheapest to bring
# in (reduced cost), KERNEL times KERNEL_SHARE of the filled slots each. The
# LP's floor sits FLOOR_SLACK under the merge floor (HiGHS's tolerances).
LP_ROUNDS = 3
DUAL_SCALES = (1.0, 0.5, 2.0)
SUPPORT = 1e-6
KERNEL = (1, 2, 4)
KERNEL_SHARE = 0.25
FLOOR_SLACK = 1e-7
# Seconds for one merging MILP (0.3-9 s each at 2,000 x 1,500): one that finds
# nothing leaves time for the next set.
MERGE_SOLVE_LIMIT = 10.0
# Scores are ~1: a smaller gain in total or dip below the floor is rounding.
EPS = 1e-9


def merge_total(
    instance: Instance,
    current: NDArray[np.bool_],
    pool: Iterable[NDArray[np.bool_]],
    *,
    deadline: float,
    floor: float | None = None,
) -> NDArray[np.bool_]:
    """The best total found with every paper at least ``current``'s minimum
    (or at least ``floor`` where that is lower: fair mode's target).

    Solution merging: HiGHS maximises the total, each paper at least the floor
    and at its count from ``current``, on the union of a few arc sets only;
    the union grows by one set per solve (a set whose model finds nothing in
    ``MERGE_SOLVE_LIMIT`` is dropped again: a bigger model would not solve
    either). First what the LP at the floor suggests (:func:`_lp_pool`:
    Lagrangian flows, the LP's support, its cheapest arcs by reduced cost),
    then the caller's ``pool`` (the plain optimum, which carries the total;
    other good assignments). ``current`` is always among the arcs, so every
    model is feasible; the best total so far is kept, and returned when time
    runs out (``current`` if nothing better was found).

    Why not the usual "each paper's best candidates": that MILP (~15k arcs at
    2,000 x 1,500) often found no feasible point in 30-40 s near the max-min,
    where the union of two or three assignments (~10k arcs, each paper only a
    handful of options) solves to optimality in 0.3-5 s. Measured on the bench
    instance at a floor of 2.0148 (plain total = 100%): the lifted assignment
    99.28%; merged with the plain optimum and the flow restoration 99.54% in
    2.4 s; with four "leaning" flows (papers near the floor weighted up by
    hand, the stand-in for the LP's multipliers this replaced) 99.60% after
    25 s; the best-candidates MILP, when it solved at all, 99.58%.

    The LP pool against those leaning flows, each merging fair mode's final
    assignment again for 12 s at its own minimum (plain total = 100%; the LP
    bound at that minimum in brackets; a loaded 2-core machine): ``small``
    seed 3 98.855% -> 98.855% leaning, 99.194% LP pool [99.795%; HiGHS on all
    12k arcs: 99.207% in 6 s]; ``loads`` 1 99.228% -> 99.253%, 99.355-99.386%
    [99.789%]; ``conflicts`` 2 99.470% -> 99.500%, 99.572% [99.874%];
    ``skewed`` 1 97.838% -> 98.288%, 98.251-98.315% [99.714%] (a tie).
    """
    submission = instance.arc_submission
    count = np.bincount(submission[current], minlength=instance.submission_count)
    active = count > 0
    if not active.any():
        return current
    scores = submission_scores(instance, current)
    lowest = float(scores[active].min())
    floor = lowest if floor is None else min(lowest, floor)
    open_arcs = active[submission]
    best, best_total = current, float(scores.sum())
    arcs = current.copy()
    lagrange = _lp_pool(instance, current, scores, floor, deadline)
    for extra in itertools.chain(lagrange, pool):
        if time.perf_counter() >= deadline:
            break
        added = extra & open_arcs & ~arcs
        if not added.any():
            continue
        arcs |= added
        limit = min(deadline, time.perf_counter() + MERGE_SOLVE_LIMIT)
        found = best_total_on(instance, arcs | best, count, floor, limit)
        if found is None:
            logger.info("merge_total: no solution on %s arcs in time", arcs.sum())
            arcs &= ~added  # a bigger model would not solve either
            continue
        found_scores = submission_scores(instance, found)
        total = float(found_scores.sum())
        # HiGHS's feasibility tolerance: a floor broken by rounding is refused.
        if found_scores[active].min() >= floor - EPS and total > best_total + EPS:
            best, best_total = found, total
        logger.info("merge_total: %s arcs, total %s", arcs.sum(), best_total)
    return best


def _lp_pool(
    instance: Instance,
    current: NDArray[np.bool_],
    scores: FloatArray,
    floor: float,
    deadline: float,
) -> Iterator[NDArray[np.bool_]]:
    """The LP's best total at the floor, and flows weighted by its multipliers.

    :meth:`Relaxation.max_total` (column generation from ``current``, which
    reaches the floor; ``LP_ROUNDS`` pricing rounds, so near-optimal) gives a
    fractional assignment ``x``, per paper the multiplier ``lambda_p >= 0`` of
    its floor row, and every arc's reduced cost. Dualising the floor rows
    leaves a flow problem: maximise ``sum((1 + lambda_p) * score)`` within the
    counts and loads, whose optimal flows are integral and whose mixtures
    include ``x``. So the sets are: min-cost flows with those weights
    (``DUAL_SCALES`` times ``lambda``: the exact multipliers pick one of many
    tied flows, scaled ones lean either side), then ``x``'s support (a vertex:
    nearly integral, a handful of options per paper), then growing kernels of
    the arcs outside it that cost the LP least to bring in. The LP takes 1-3 s
    at 2,500 x 1,800; past ``deadline`` nothing is yielded.
    """
    with_slots = instance.per_submission > 0
    floor = min(floor, float(scores[with_slots].min())) - FLOOR_SLACK
    try:
        relaxation = Relaxation(instance, int(current.sum()))
        lp = relaxation.max_total(current, floor, deadline=deadline, rounds=LP_ROUNDS)
    except RuntimeError as error:  # out of time, or HiGHS gave up
        logger.info("merge_total: no LP at the floor (%s)", error)
        return
    logger.info("merge_total: LP total %s at floor %s", lp.value, floor)
    for scale in DUAL_SCALES:
        yield solve_weighted(instance, submission_weight=1.0 + scale * lp.floor_duals)
    support = lp.x > SUPPORT
    yield support
    # The arcs outside the support, cheapest to bring in first.
    outside = np.flatnonzero(~support)
    outside = outside[np.argsort(lp.reduced[outside], kind="stable")]
    bucket = max(1, int(KERNEL_SHARE * current.sum()))
    for size in KERNEL:
        kernel = support.copy()
        kernel[outside[: size * bucket]] = True
        yield kernel


def best_total_on(
    instance: Instance,
    allowed: NDArray[np.bool_],
    count: IntArray,
    floor: float,
    deadline: float,
) -> NDArray[np.bool_] | None:
    """HiGHS on ``allowed``'s arcs only, by ``deadline``: the most total with
    each paper at ``count`` and its score at ``floor`` (less HiGHS's
    tolerances: the caller checks the real scores), within the loads; None
    if it found none in time."""
    limit = deadline - time.perf_counter()
    if limit <= 0.1:
        return None
    columns = np.flatnonzero(allowed)
    # 1e-7 under the floor: HiGHS's tolerances; the caller checks real scores.
    result = floor_milp(instance, columns, count, floor - 1e-7, limit)
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

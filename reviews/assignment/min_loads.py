"""Fair mode keeps the chair's minimum loads as the plain optimum does.

Plain mode's order is: fill every slot it can, then give as many pairs toward
the reviewers' minimum loads as it can, then the most affinity
(:func:`reviews.assignment.solver.solve_weighted`). Fair mode's phases (the
lift's paths, phase 2's flows, CP-SAT, merging) keep the filled count but know
nothing of minimum loads: a path that ends at a reviewer with spare load takes
a pair from one who may be at their minimum. On 60 random conferences with a
minimum load of 1 or 2, 18 lost such pairs (62 of them down to 53 on one, with
no gain in the lowest paper score), the report then said the count was
maximal when it was not, and the lowest score could exceed the LP bound the
chair saw (that bound keeps the minimum loads).

So fair mode's result is repaired here, only when it has fewer pairs toward
the minimum loads than the plain optimum: two HiGHS MILPs on the arcs of both
assignments, the arcs of the reviewers left short and each paper's best
``TOP`` candidates (every arc on small instances). The first maximises the
lowest paper score (up to fair mode's target, if any) with plain's filled
count and plain's number of pairs toward the minimum loads; the second the
total at that floor. The plain optimum is a feasible point of both, and the
better of the result and the plain optimum (in fair mode's order) is kept, so
the minimum is never below the plain optimum's.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack

from .lift import lowest_score
from .solver import Instance, IntArray, submission_scores

__all__ = ["SHARE", "keep_min_loads", "min_load_pairs"]

# The share of fair mode's time limit kept for this repair when the chair set
# minimum loads (without a limit, it may take fair.RESTORE_BUDGET seconds).
SHARE = 0.1

# Each paper's best this many candidates join the repair's arcs (above
# ALL_ARCS arcs; below, every arc does).
TOP = 10
ALL_ARCS = 20_000
# HiGHS's feasibility tolerance on the floor row; the result is scored again.
FLOOR_SLACK = 1e-7
EPS = 1e-9  # as fair mode's order (lift.EPS)


def min_load_pairs(instance: Instance, used: NDArray[np.bool_]) -> int:
    """Pairs toward the reviewers' open minimum loads (each counted up to it)."""
    got = np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count)
    return int(np.minimum(got, instance.want).sum())


Arcs = NDArray[np.bool_]  # one flag per arc of the instance


def keep_min_loads(
    instance: Instance, used: Arcs, plain: Arcs, rank: IntArray, deadline: float,
    target: float | None = None,
) -> Arcs:  # fmt: skip
    """``used`` if it has plain's pairs toward the minimum loads; else the best
    assignment found by ``deadline`` that has them (at worst ``plain``)."""
    wanted = min_load_pairs(instance, plain)
    if min_load_pairs(instance, used) >= wanted:
        return used
    got = np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count)
    short = got < instance.want
    allowed = used | plain | short[instance.arc_reviewer] | (rank < TOP)
    columns = np.flatnonzero(allowed if rank.size > ALL_ARCS else rank >= 0)
    with_slots = instance.per_submission > 0
    plain_scores = submission_scores(instance, plain)
    plain_min = lowest_score(plain_scores, with_slots)
    cap = np.inf if target is None else target
    model = _Model(instance, columns, int(plain.sum()), wanted)
    floor = model.max_floor(deadline, cap=cap)
    # At plain's minimum (or below) the plain optimum has the best total.
    if floor is None or min(floor, cap) <= min(plain_min, cap) + EPS:
        return plain
    found = model.max_total(floor, deadline)
    if found is None or not _keeps(instance, found, plain, wanted):
        return plain
    scores = submission_scores(instance, found)
    lowest = min(lowest_score(scores, with_slots), cap)
    if lowest > min(plain_min, cap) + EPS or (
        lowest >= min(plain_min, cap) - EPS and scores.sum() >= plain_scores.sum()
    ):
        return found
    return plain


class _Model:
    """Rows over ``columns`` (0/1 pairs), one ``y`` per reviewer with an open
    minimum (pairs toward it, at most ``want``) and the floor ``t``."""

    def __init__(
        self, instance: Instance, columns: IntArray, filled: int, wanted: int
    ) -> None:
        self.instance, self.columns = instance, columns
        n = columns.size
        submissions = instance.arc_submission[columns]
        reviewers = instance.arc_reviewer[columns]
        minimums = np.flatnonzero(instance.want)
        m = minimums.size
        self.width = n + m + 1
        slots = np.flatnonzero(instance.per_submission > 0)
        row = np.full(instance.submission_count, -1)
        row[slots] = np.arange(slots.size)
        counted = row[submissions] >= 0
        arc = np.arange(n)

        def rows(data, r, c, height):  # type: ignore[no-untyped-def]
            return coo_matrix((data, (r, c)), (height, self.width))

        fill = rows(np.ones(n), submissions, arc, instance.submission_count)
        loads = rows(np.ones(n), reviewers, arc, instance.reviewer_count)
        # y_r <= pairs of r: -pairs + y <= 0, one row per reviewer with a minimum.
        slot = np.full(instance.reviewer_count, -1)
        slot[minimums] = np.arange(m)
        toward = reviewers[slot[reviewers] >= 0]
        toward_arcs = arc[slot[reviewers] >= 0]
        link = hstack(
            [
                coo_matrix(
                    (-np.ones(toward.size), (slot[toward], toward_arcs)), (m, n)
                ),
                coo_matrix((np.ones(m), (np.arange(m), np.arange(m))), (m, m + 1)),
            ]
        )
        self.constraints = [
            LinearConstraint(fill, 0, instance.need),
            LinearConstraint(np.r_[np.ones(n), np.zeros(m + 1)][None], filled, filled),
            LinearConstraint(loads, 0, instance.free),
            LinearConstraint(link, -np.inf, 0),
            LinearConstraint(np.r_[np.zeros(n), np.ones(m), 0.0][None], wanted, np.inf),
        ]
        # base + sum of scores - t >= 0 for every paper with slots.
        self.score = hstack(
            [
                coo_matrix(
                    (
                        instance.arc_score[columns][counted],
                        (row[submissions[counted]], arc[counted]),
                    ),
                    (slots.size, n + m),
                ),
                coo_matrix(-np.ones((slots.size, 1))),
            ]
        )
        self.base = instance.base_score[slots]
        self.upper = np.r_[np.ones(n), instance.want[minimums], np.inf]
        self.integrality = np.r_[np.ones(n), np.zeros(m + 1)]

    def max_floor(self, deadline: float, cap: float) -> float | None:
        """The highest lowest score (at most ``cap``); None if none in time."""
        upper = self.upper.copy()
        upper[-1] = cap
        objective = np.zeros(self.width)
        objective[-1] = -1.0
        lower = np.zeros(self.width)
        lower[-1] = -np.inf  # scores may be negative
        x = self._solve(objective, lower, upper, deadline)
        return None if x is None else float(x[-1])

    def max_total(self, floor: float, deadline: float) -> NDArray[np.bool_] | None:
        """The most total with every paper's score at least ``floor``."""
        upper = self.upper.copy()
        upper[-1] = np.inf
        objective = np.zeros(self.width)
        objective[: self.columns.size] = -self.instance.arc_score[self.columns]
        lower = np.zeros(self.width)
        lower[-1] = floor - FLOOR_SLACK
        x = self._solve(objective, lower, upper, deadline)
        if x is None:
            return None
        used = np.zeros(self.instance.arc_submission.size, dtype=bool)
        used[self.columns] = x[: self.columns.size] > 0.5
        return used

    def _solve(
        self,
        objective: NDArray[np.float64],
        lower: NDArray[np.float64],
        upper: NDArray[np.float64],
        deadline: float,
    ) -> NDArray[np.float64] | None:
        limit = deadline - time.perf_counter()
        if limit <= 0.05:
            return None
        result = milp(
            objective,
            constraints=[
                *self.constraints,
                LinearConstraint(self.score, -self.base, np.inf),
            ],
            integrality=self.integrality,
            bounds=Bounds(lower, upper),
            options={"time_limit": limit, "disp": False},
        )
        return None if result.x is None else np.asarray(result.x)


def _keeps(
    instance: Instance,
    found: NDArray[np.bool_],
    plain: NDArray[np.bool_],
    wanted: int,
) -> bool:
    """HiGHS's answer, checked: plain's filled count and pairs toward the
    minimum loads, no paper over its slots, no reviewer over their load."""
    per_submission = np.bincount(
        instance.arc_submission[found], minlength=instance.submission_count
    )
    per_reviewer = np.bincount(
        instance.arc_reviewer[found], minlength=instance.reviewer_count
    )
    return bool(
        found.sum() == plain.sum()
        and min_load_pairs(instance, found) >= wanted
        and (per_submission <= instance.need).all()
        and (per_reviewer <= instance.free).all()
    )

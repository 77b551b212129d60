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
the minimum loads than the plain optimum:

1. **Paths** (:class:`_Mover`): each reviewer left short takes a paper from
   another reviewer, who takes one from another, until one above their own
   minimum gives a pair up; no paper on a path falls below fair mode's
   minimum (or its target, if lower). With a minimum load of 1 at a 30 s
   limit (``bench/_conferences.py``'s families, seed 1), fair mode's phases
   left 1,638 of 1,800 such pairs on ``loads``, 906 of 1,000 on
   ``conflicts`` and 1,453 of 1,500 on ``uniform`` seed 2; the paths gave
   every one back in 0.02-0.07 s, at 0.950-0.951 of the LP bound and
   0.9945-0.9956 of the plain total (``idle``: 0.9503, 0.9912).
2. **MILPs** (HiGHS), when a reviewer is still short or on tiny instances: on
   the arcs of both assignments, of the reviewers left short and each
   paper's best ``TOP`` candidates, the highest lowest score (up to the
   target) with plain's filled count and pairs toward the minimum loads, then
   the most total at it. At 2,500 x 1,800 they found nothing in 3 s.

The best of these and the plain optimum, which has every property by
construction, is kept in fair mode's order, so the minimum is never below
the plain optimum's.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack

from .arcs import constraint_rows
from .lift import lowest_score
from .solver import Instance, IntArray, submission_scores

__all__ = ["SHARE", "keep_min_loads", "min_load_pairs"]

# The share of fair mode's time limit kept for this repair when the chair set
# minimum loads (without a limit, it may take fair.RESTORE_BUDGET seconds).
SHARE = 0.03
# The MILPs run when the paths leave a reviewer short, or on instances of up
# to EXACT_ARCS arcs (milliseconds there). On ``small`` (12k arcs, a minimum
# load of 2) they ran to fair mode's limit (29 s) and found nothing better
# than the paths, which took under 0.01 s.
EXACT_ARCS = 2_000
# Each paper's best this many candidates join the MILPs' arcs (above ALL_ARCS
# arcs; below, every arc does).
TOP = 10
ALL_ARCS = 20_000
# At 15,000 x 15,000 (a minimum load of 1, 2,410 pairs to give back) the
# paths took 0.7 s, 0.68 s of it sorting the arcs; fair mode's last phase may
# end past its deadline, so the paths get this long at least.
PATHS_SECONDS = 2.0
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
    assignment found by ``deadline`` that has them (at worst ``plain``), in
    fair mode's order: the lowest paper score up to ``target``, then the total."""
    wanted = min_load_pairs(instance, plain)
    if min_load_pairs(instance, used) >= wanted:
        return used
    with_slots = instance.per_submission > 0
    cap = np.inf if target is None else target
    found = [plain]
    floor = min(lowest_score(submission_scores(instance, used), with_slots), cap)
    # The paths get PATHS_SECONDS even past the deadline: without them the
    # answer is the plain optimum, with no fairness at all.
    moved = _Mover(instance, used, floor).run(
        max(deadline, time.perf_counter() + PATHS_SECONDS)
    )
    if min_load_pairs(instance, moved) >= wanted:
        found.append(moved)
    if rank.size <= EXACT_ARCS or len(found) == 1:
        found.append(_exact(instance, used, plain, rank, wanted, cap, deadline))
    valid = [arcs for arcs in found if _keeps(instance, arcs, plain, wanted)]
    return max(valid, key=lambda arcs: _order(instance, arcs, cap))


def _order(instance: Instance, used: Arcs, cap: float) -> tuple[float, float]:
    """Fair mode's order: the lowest score up to ``cap`` (to EPS), the total."""
    scores = submission_scores(instance, used)
    lowest = min(lowest_score(scores, instance.per_submission > 0), cap)
    return round(lowest / EPS) * EPS, float(scores.sum())


class _Mover:
    """Gives each reviewer below their minimum load pairs by alternating paths:
    they take a paper from a reviewer, who takes another paper from another,
    and so on until a reviewer above their own minimum gives one up. Every
    paper on a path swaps one reviewer and stays at ``floor`` or above; the
    filled count and the loads do not change. Breadth first over reviewers,
    each reviewer's best arcs and each paper's weakest reviewer first."""

    def __init__(self, instance: Instance, used: Arcs, floor: float) -> None:
        self.instance, self.floor = instance, floor
        self.used = used.copy()
        self.scores = submission_scores(instance, used)
        reviewer = instance.arc_reviewer
        self.got = np.bincount(reviewer[used], minlength=instance.reviewer_count)
        self.by_reviewer = np.lexsort((-instance.arc_score, reviewer))
        self.reviewer_first = np.searchsorted(
            reviewer[self.by_reviewer], np.arange(instance.reviewer_count + 1)
        )
        self.submission_first = np.searchsorted(
            instance.arc_submission, np.arange(instance.submission_count + 1)
        )

    def run(self, deadline: float) -> Arcs:
        want, got = self.instance.want, self.got
        for short in np.flatnonzero(got < want).tolist():
            while got[short] < want[short] and time.perf_counter() < deadline:
                path = self._path(short, deadline)
                if path is None:
                    break
                self._apply(path)
        return self.used

    def _apply(self, path: list[tuple[int, int]]) -> None:
        instance = self.instance
        for taken, given in path:  # (p, u) joins, (p, v) leaves
            self.used[taken], self.used[given] = True, False
            p = instance.arc_submission[taken]
            self.scores[p] += instance.arc_score[taken] - instance.arc_score[given]
            self.got[instance.arc_reviewer[taken]] += 1
            self.got[instance.arc_reviewer[given]] -= 1

    def _path(self, short: int, deadline: float) -> list[tuple[int, int]] | None:
        """(arc taken, arc given up) pairs from ``short`` to a reviewer above
        their minimum; None if there is none, or at ``deadline`` (one search
        that finds nothing may scan every arc: checked at each reviewer)."""
        instance, used = self.instance, self.used
        value = instance.arc_score
        came: dict[int, tuple[int, int, int] | None] = {short: None}
        submissions_seen: set[int] = set()
        queue = [short]
        for u in queue:
            if time.perf_counter() > deadline:
                return None
            arcs = self.by_reviewer[self.reviewer_first[u] : self.reviewer_first[u + 1]]
            for taken in arcs[~used[arcs]].tolist():
                p = int(instance.arc_submission[taken])
                if p in submissions_seen:
                    continue
                holders = np.arange(
                    self.submission_first[p], self.submission_first[p + 1]
                )
                holders = holders[used[holders]]
                for given in holders[np.argsort(value[holders])].tolist():
                    v = int(instance.arc_reviewer[given])
                    lowered = self.scores[p] - value[given] + value[taken]
                    if v in came or lowered < self.floor - EPS:
                        continue
                    # p is on one path only (it swaps one reviewer); another
                    # arc into it may pass the floor check where this did not.
                    submissions_seen.add(p)
                    came[v] = (u, taken, given)
                    if self.got[v] > instance.want[v]:  # v can give one up
                        return self._trace(came, v)
                    queue.append(v)
        return None

    @staticmethod
    def _trace(
        came: dict[int, tuple[int, int, int] | None], end: int
    ) -> list[tuple[int, int]]:
        path = []
        while (step := came[end]) is not None:
            end, taken, given = step
            path.append((taken, given))
        return path


def _exact(
    instance: Instance, used: Arcs, plain: Arcs, rank: IntArray, wanted: int,
    cap: float, deadline: float,
) -> Arcs:  # fmt: skip
    """The MILPs: the highest floor with plain's filled count and pairs toward
    the minimum loads, then the most total at it (``plain`` if none in time)."""
    got = np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count)
    short = got < instance.want
    allowed = used | plain | short[instance.arc_reviewer] | (rank < TOP)
    columns = np.flatnonzero(allowed if rank.size > ALL_ARCS else rank >= 0)
    plain_min = lowest_score(
        submission_scores(instance, plain), instance.per_submission > 0
    )
    model = _Model(instance, columns, int(plain.sum()), wanted)
    floor = model.max_floor(deadline, cap=cap)
    # At plain's minimum (or below) the plain optimum has the best total.
    if floor is None or min(floor, cap) <= min(plain_min, cap) + EPS:
        return plain
    found = model.max_total(floor, deadline)
    return plain if found is None else found


class _Model:
    """Rows over ``columns`` (0/1 pairs; :func:`.arcs.constraint_rows`), one
    ``y`` per reviewer with an open minimum (pairs toward it, at most
    ``want``) and the floor ``t``."""

    def __init__(
        self, instance: Instance, columns: IntArray, filled: int, wanted: int
    ) -> None:
        self.instance, self.columns = instance, columns
        n = columns.size
        reviewers = instance.arc_reviewer[columns]
        minimums = np.flatnonzero(instance.want)
        m = minimums.size
        self.width = n + m + 1
        # Fill and score rows for the submissions with open slots (the others
        # have no arc: their fixed score caps t below), load rows for all.
        fill, loads, score, active = constraint_rows(
            instance, columns, instance.need, m + 1
        )
        # y_r <= pairs of r: -pairs + y <= 0, one row per reviewer with a minimum.
        slot = np.full(instance.reviewer_count, -1)
        slot[minimums] = np.arange(m)
        toward = np.flatnonzero(slot[reviewers] >= 0)
        link = hstack(
            [
                coo_matrix(
                    (-np.ones(toward.size), (slot[reviewers[toward]], toward)), (m, n)
                ),
                coo_matrix((np.ones(m), (np.arange(m), np.arange(m))), (m, m + 1)),
            ]
        )
        ones = np.r_[np.ones(n), np.zeros(m + 1)][None]
        self.constraints = [
            LinearConstraint(fill, 0, instance.need[active]),
            LinearConstraint(ones, filled, filled),
            LinearConstraint(loads, 0, instance.free),
            LinearConstraint(link, -np.inf, 0),
            LinearConstraint(np.r_[np.zeros(n), np.ones(m), 0.0][None], wanted, np.inf),
            # base + sum of scores - t >= 0 for every submission with open slots.
            LinearConstraint(
                score
                - coo_matrix(
                    (
                        np.ones(active.size),
                        (np.arange(active.size), np.full(active.size, self.width - 1)),
                    ),
                    score.shape,
                ),
                -instance.base_score[active],
                np.inf,
            ),
        ]
        full = (instance.per_submission > 0) & (instance.need == 0)
        self.t_upper = float(min(instance.base_score[full].tolist(), default=np.inf))
        self.upper = np.r_[np.ones(n), instance.want[minimums], self.t_upper]
        self.integrality = np.r_[np.ones(n), np.zeros(m + 1)]

    def max_floor(self, deadline: float, cap: float) -> float | None:
        """The highest lowest score (at most ``cap``); None if none in time."""
        upper = self.upper.copy()
        upper[-1] = min(cap, self.t_upper)
        objective = np.zeros(self.width)
        objective[-1] = -1.0
        lower = np.zeros(self.width)
        lower[-1] = -np.inf  # scores may be negative
        x = self._solve(objective, lower, upper, deadline)
        return None if x is None else float(x[-1])

    def max_total(self, floor: float, deadline: float) -> NDArray[np.bool_] | None:
        """The most total with every paper's score at least ``floor``."""
        objective = np.zeros(self.width)
        objective[: self.columns.size] = -self.instance.arc_score[self.columns]
        lower = np.zeros(self.width)
        lower[-1] = floor - FLOOR_SLACK
        x = self._solve(objective, lower, self.upper, deadline)
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
            constraints=self.constraints,
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

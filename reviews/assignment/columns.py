"""The configuration LP by column generation: every paper's integral reviewer
sets at a floor, for the bound on the best total there and for price and
branch (:mod:`.branching`).

**The configuration LP.** One column per paper and integral set of its
candidates reaching the floor; rows: one set per paper, the loads. Column
generation prices every paper's best set under the master's load duals
(:class:`reviews.assignment.lagrange._Groups`, the ``g_p`` of the Lagrangian
bound) and adds those that improve; ``L`` at those duals bounds every integral
total at the floor whenever the loop stops.

**The master stays in HiGHS between rounds** (``highspy``): new columns are
appended to one model. Solved from scratch each round (scipy's ``linprog``), a
round cost 1-1.5 s at 1,500 papers and ``conflicts`` seed 2's generation
44 s; kept in HiGHS, 6 s.

**Fast generation** (issue 17's fifth round, ``uniform`` seed 2, 2,000 x
1,500, 400k arcs, where it took 62 s and fair mode gives it ~7 s):

- *First prices*: fair mode computes the LP at the target floor on the other
  core (4 pricing rounds, 2.2 s) and starts from its load duals: ``L`` starts
  at 0.9965 of the plain total instead of 1.18 (zero prices).
- *Wentges smoothing* around the best prices seen (``SMOOTHING``): the
  master's own duals swing (``L`` 1.2-260 in the first rounds) while its
  columns are few.
- *Interior point, then the dual simplex*: the early masters are degenerate
  (the dual simplex took 3-8 s a round, interior point 0.5 s); once few
  columns enter (``SIMPLEX_BELOW``), the simplex goes on from the last basis.
- *A gap, not convergence* (``CLOSE_GAP``): the master's last rounds move it
  by less than 1e-4 while ``L`` creeps down.

Together: the master within 1e-4 of ``L`` in 7 s and 13 rounds, where it
converged in 62 s and 26 rounds.

**Price and branch** on these columns is in :mod:`.branching`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

import highspy
import numpy as np
from numpy.typing import NDArray

from .highs import run_lp
from .lagrange import TOLERANCE, _Groups
from .solver import FloatArray, Instance, IntArray

__all__ = ["Master", "generate"]

# An artificial column's loss, in units of the best score: a paper's best set
# scores at most ``count`` times that, so the master uses one only while no
# set of that paper is in it.
ARTIFICIAL_LOSS = 1_000.0
# Fair mode stops generating once the master is within this share of the
# least L (the last rounds move it by less).
CLOSE_GAP = 1e-4
# With first prices, each round prices at this mix of the best prices so far
# (least L) and the master's duals (Wentges smoothing).
SMOOTHING = 0.7
# Once fewer columns than this enter a round, the master is solved by the
# dual simplex from the last basis instead of interior point.
SIMPLEX_BELOW = 300

Column = tuple[int, IntArray]


def generate(
    instance: Instance,
    count: IntArray,
    floor: float,
    start: NDArray[np.bool_],
    prices: FloatArray | None,
    rounds: int,
    deadline: float | None,
    *,
    gap: float = 0.0,
    smooth: bool = False,
) -> tuple[Master, float | None]:
    """Column generation from ``start``'s sets and the best sets under
    ``prices``, until no column improves the master, it is within ``gap`` of
    the bound, ``rounds`` or ``deadline``. ``smooth``: Wentges smoothing."""
    groups = _Groups(instance, count, floor)
    master = Master(instance, groups)
    first: list[Column] = []
    for p in groups.active.tolist():
        arcs = groups.order[groups.cuts[p] : groups.cuts[p + 1]]
        chosen = arcs[start[arcs]]
        if chosen.size == count[p] and master.reaching(p, chosen):
            first.append((p, chosen))
    master.add(first, start=True)
    best = math.inf
    center = None
    if prices is not None:
        center = np.maximum(prices, 0.0)
        evaluated = groups.evaluate(center, sets=True)
        if evaluated is None:
            return master, None
        best = evaluated[0]
        master.add(
            (p, arcs) for p, _, arcs in groups.last_sets if master.reaching(p, arcs)
        )
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        solved = master.solve(deadline)
        if solved is None:
            break
        mu, pi = solved
        if master.value >= best - gap * abs(best):
            break  # at the bound, or within the gap
        # Smoothed: first between the best prices and the master's duals;
        # on a mispricing (nothing improves the master), the duals themselves.
        points = [mu]
        if smooth and center is not None:
            points.insert(0, SMOOTHING * center + (1 - SMOOTHING) * mu)
        new: list[Column] = []
        for point in points:
            evaluated = groups.evaluate(point, sets=True)
            if evaluated is None:
                return master, None
            if evaluated[0] < best:
                best, center = evaluated[0], point
            new = master.improving(mu, pi)
            if new:
                break
        added = master.add(new)
        if not added:
            break
        if added < SIMPLEX_BELOW:
            master.highs.setOptionValue("solver", "simplex")
    return master, best


class Master:
    """The restricted configuration LP, kept in HiGHS between rounds.

    Rows: each reviewer's load (``<= free``), then one per active paper
    (``= 1``). Each paper's first column is an artificial one (no reviewers,
    a large loss), so the master is feasible from the start.
    """

    def __init__(self, instance: Instance, groups: _Groups) -> None:
        self.instance = instance
        self.groups = groups
        active = groups.active
        self.row_of = np.full(instance.submission_count, -1)
        self.row_of[active] = instance.reviewer_count + np.arange(active.size)
        self.columns: list[Column] = []
        self.starting: list[int] = []  # the start's columns
        self.value = -math.inf
        self._primal = np.zeros(0)  # the last LP's column values
        self.mu = np.zeros(instance.reviewer_count)  # and its load duals
        self._keys: set[tuple[int, ...]] = set()
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        # Interior point with crossover (a vertex: price and branch fixes the
        # columns it takes whole) while the master is degenerate.
        highs.setOptionValue("solver", "ipm")
        highs.setOptionValue("run_crossover", "on")
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        rows = instance.reviewer_count + active.size
        lower = np.concatenate(
            [np.full(instance.reviewer_count, -highspy.kHighsInf), np.ones(active.size)]
        )
        upper = np.concatenate([instance.free.astype(float), np.ones(active.size)])
        empty = np.zeros(0, dtype=np.int32)
        highs.addRows(rows, lower, upper, 0, np.zeros(rows, dtype=np.int32), empty, [])
        self.highs = highs
        loss = -ARTIFICIAL_LOSS * (1.0 + float(instance.arc_score.max(initial=0.0)))
        self._append([(p, np.zeros(0, dtype=np.int64)) for p in active.tolist()], loss)

    def reaching(self, p: int, arcs: IntArray) -> bool:
        """Whether a set reaches the floor (a paper's LP fallback in the
        pricing does not: it prices the bound only)."""
        need = self.groups.need[p] - TOLERANCE
        return bool(self.instance.arc_score[arcs].sum() >= need)

    def improving(self, mu: FloatArray, pi: FloatArray) -> list[Column]:
        """The last priced sets that improve the master at its duals."""
        score, reviewer = self.instance.arc_score, self.instance.arc_reviewer
        return [
            (p, arcs)
            for p, _, arcs in self.groups.last_sets
            if float((score[arcs] - mu[reviewer[arcs]]).sum())
            > pi[self.row_of[p]] + 1e-7
            and self.reaching(p, arcs)
        ]

    def add(self, columns: Iterable[Column], *, start: bool = False) -> int:
        """Append the sets not in the master yet; how many were new."""
        new = []
        for p, arcs in columns:
            key = (p, *sorted(arcs.tolist()))
            if key not in self._keys:
                self._keys.add(key)
                new.append((p, arcs))
        if start:
            self.starting.extend(range(len(self.columns), len(self.columns) + len(new)))
        self._append(new, None)
        return len(new)

    def _append(self, columns: list[Column], loss: float | None) -> None:
        if not columns:
            return
        instance = self.instance
        rows = [
            np.append(instance.arc_reviewer[arcs], self.row_of[p])
            for p, arcs in columns
        ]
        starts = np.cumsum([0] + [row.size for row in rows[:-1]]).astype(np.int32)
        index = np.concatenate(rows).astype(np.int32)
        cost = np.array(
            [
                float(instance.arc_score[arcs].sum()) if loss is None else loss
                for _, arcs in columns
            ]
        )
        n = len(columns)
        self.highs.addCols(
            n,
            cost,
            np.zeros(n),
            np.ones(n),
            index.size,
            starts,
            index,
            np.ones(index.size),
        )
        self.columns.extend(columns)

    def solve(self, deadline: float | None) -> tuple[FloatArray, FloatArray] | None:
        """Load duals (``mu >= 0``) and each row's dual (``pi``, by row);
        None if the LP was not solved by ``deadline``."""
        if not run_lp(self.highs, deadline, "configuration master"):
            return None
        solution = self.highs.getSolution()
        self._primal = np.asarray(solution.col_value)
        dual = np.asarray(solution.row_dual)
        reviewers = self.instance.reviewer_count
        self.value = float(
            self.instance.base_score.sum()
            + self.highs.getInfo().objective_function_value
        )
        self.mu = np.maximum(dual[:reviewers], 0.0)
        return self.mu, dual

    def uses_artificial(self) -> bool:
        """Whether the last LP gives some paper no set (or none was solved)."""
        if not self._primal.size:
            return True
        active = np.count_nonzero(self.row_of >= 0)
        return bool((self._primal[:active] > 1e-6).any())

    def values(self) -> FloatArray:
        """The last LP's value of every column (0 for those added since)."""
        x = np.zeros(len(self.columns))
        x[: self._primal.size] = self._primal
        return x

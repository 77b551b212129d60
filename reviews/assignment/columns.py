"""Price and branch on the configuration LP: integral assignments with every
paper at a floor and the most total among the sets column generation found.

**The configuration LP.** One column per paper and integral set of its
candidates reaching the floor; rows: one set per paper, the loads. Column
generation prices every paper's best set under the master's load duals
(:class:`reviews.assignment.lagrange._Groups`, the ``g_p`` of the Lagrangian
bound) and adds those that improve; ``L`` at those duals bounds every integral
total at the floor whenever the loop stops.

**The master stays in HiGHS between rounds** (``highspy``): new columns are
appended and the dual simplex goes on from the last basis. Solved from scratch
each round (scipy's ``linprog``), a round cost 1-1.5 s at 1,500 papers and
``conflicts`` seed 2's generation 44 s; warm-started, rounds cost 0.02-2 s
and the same generation 6 s.

**Price and branch.** The generated columns are also a small search space for
good integral assignments: HiGHS picking one column per paper within the
loads, on the same model with binary columns, gives an assignment with every
paper at the floor. A heuristic (columns the LP never wanted are never
tried), but every column reaches the floor, so what it finds is feasible; the
start's sets are columns and HiGHS starts from them, so it is never worse
than a start that reaches the floor. HiGHS on all ~14k columns of
``conflicts`` seed 2 needed 11 s for the optimum and found 0.9878 of the
plain total in 6 s; with the columns the LP takes whole fixed (all but ~500
of 1,500 papers', away from its fractional ones) it found 0.99533 in 4 s,
and the optimum (0.99534) in 5 s on all columns from there.

**In fair mode** (:func:`raise_by_columns`, at the target floor, before the
CP-SAT stages): it gets half its time for generation and returns nothing,
leaving the time to the next phase, unless the LP converged without an
artificial column. ``bench/assignment.py --fair-seconds 30``, idle 2 cores:
``conflicts`` seed 2 went from 0.9387 of the LP bound at 0.99582 of the plain
total to 0.95 at 0.99534 (both goals), seed 3 from 0.9435 to 0.95; on
``uniform`` and ``loads`` the LP does not converge in time (40-60 s alone on
``uniform`` seed 2, 9 s on ``loads`` seed 2), which costs those rows up to
0.0007 of total. Tried and dropped: Wentges smoothing of the prices and
capping the columns added a round (no faster on ``uniform``), the primal
simplex for the master (slower), a partial start for HiGHS (see below).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

import highspy
import numpy as np
from numpy.typing import NDArray

from .lagrange import TOLERANCE, _Groups
from .solver import FloatArray, Instance, IntArray

__all__ = ["configuration_bound", "raise_by_columns"]

# An artificial column's loss, in units of the best score: a paper's best set
# scores at most ``count`` times that, so the master uses one only while no
# set of that paper is in it.
ARTIFICIAL_LOSS = 1_000.0
# raise_by_columns: the share of its time column generation may use; HiGHS's
# branch and bound on the columns gets the rest.
GENERATION_SHARE = 0.5
# best_integral: the share of its time for the MIP with the LP's settled
# columns fixed.
FIX_SHARE = 0.5

Column = tuple[int, IntArray]


def configuration_bound(
    instance: Instance,
    count: IntArray,
    floor: float,
    start: NDArray[np.bool_],
    *,
    prices: FloatArray | None = None,
    rounds: int = 60,
    deadline: float | None = None,
    mip_seconds: float = 0.0,
) -> tuple[float | None, float, NDArray[np.bool_] | None]:
    """The configuration LP by column generation: ``(bound, master, found)``.

    ``start``'s sets, where they have the count and reach the floor, are the
    first columns; ``prices`` (e.g. the LP's load duals) add each paper's best
    set under them, and bound at once. ``bound`` is the least ``L`` seen (an
    upper bound on every integral total at the floor; None if a paper cannot
    reach the floor), ``master`` the restricted LP's value (a lower bound on
    the configuration LP: how far from converged the loop stopped). With
    ``mip_seconds``, ``found`` is price and branch's assignment (a mask of
    arcs with every paper at its count and the floor, within the loads), else
    None.
    """
    master, bound = _generate(instance, count, floor, start, prices, rounds, deadline)
    if bound is None or mip_seconds <= 0:
        return bound, master.value, None
    return bound, master.value, master.best_integral(mip_seconds)


def raise_by_columns(
    instance: Instance,
    used: NDArray[np.bool_],
    floor: float,
    deadline: float,
) -> NDArray[np.bool_] | None:
    """Fair mode's column phase: the most total found with every paper at
    ``floor`` and ``used``'s counts, by ``deadline`` (None if none was)."""
    count = np.bincount(
        instance.arc_submission[used], minlength=instance.submission_count
    )
    left = deadline - time.perf_counter()
    master, bound = _generate(
        instance,
        count,
        floor,
        used,
        np.zeros(instance.reviewer_count),  # each paper's best set at the floor
        rounds=200,
        deadline=time.perf_counter() + GENERATION_SHARE * left,
    )
    seconds = deadline - time.perf_counter()
    if (
        bound is None
        or seconds <= 0
        or not master.converged
        or master.uses_artificial()
    ):
        # The floor is out of reach, or the LP did not converge in time (its
        # columns would be a poor search space): the time left is the
        # caller's.
        return None
    return master.best_integral(seconds)


def _generate(
    instance: Instance,
    count: IntArray,
    floor: float,
    start: NDArray[np.bool_],
    prices: FloatArray | None,
    rounds: int,
    deadline: float | None,
) -> tuple[_Master, float | None]:
    groups = _Groups(instance, count, floor)
    master = _Master(instance, groups.active)

    def reaching(p: int, arcs: IntArray) -> bool:
        # A paper's LP fallback (not a set that reaches the floor) prices the
        # bound only.
        return bool(instance.arc_score[arcs].sum() >= groups.need[p] - TOLERANCE)

    first: list[Column] = []
    for p in groups.active.tolist():
        arcs = groups.order[groups.cuts[p] : groups.cuts[p + 1]]
        chosen = arcs[start[arcs]]
        if chosen.size == count[p] and reaching(p, chosen):
            first.append((p, chosen))
    master.add(first, start=True)
    best = math.inf
    if prices is not None:
        evaluated = groups.evaluate(np.maximum(prices, 0.0), sets=True)
        if evaluated is None:
            return master, None
        best = evaluated[0]
        master.add((p, arcs) for p, _, arcs in groups.last_sets if reaching(p, arcs))
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        solved = master.solve(deadline)
        if solved is None:
            break
        mu, pi = solved
        evaluated = groups.evaluate(mu, sets=True)
        if evaluated is None:
            return master, None
        best = min(best, evaluated[0])
        entering = [
            (p, arcs)
            for p, gain, arcs in groups.last_sets
            if gain > pi[master.row_of[p]] + 1e-7 and reaching(p, arcs)
        ]
        if not master.add(entering):
            master.converged = True
            break
    return master, best


class _Master:
    """The restricted configuration LP, kept in HiGHS between rounds.

    Rows: each reviewer's load (``<= free``), then one per active paper
    (``= 1``). Each paper's first column is an artificial one (no reviewers,
    a large loss), so the master is feasible from the start.
    """

    def __init__(self, instance: Instance, active: IntArray) -> None:
        self.instance = instance
        self.row_of = np.full(instance.submission_count, -1)
        self.row_of[active] = instance.reviewer_count + np.arange(active.size)
        self.columns: list[Column] = []
        self.starting: list[int] = []  # the start's columns
        self.value = -math.inf
        self.converged = False  # no column improves the last LP
        self._primal = np.zeros(0)  # the last LP's column values
        self._keys: set[tuple[int, ...]] = set()
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
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
        left = math.inf if deadline is None else deadline - time.perf_counter()
        # An LP's time limit counts every run of this model so far (a MIP's
        # only its own run: best_integral); measured with HiGHS 1.16.
        elapsed = self.highs.getRunTime()
        self.highs.setOptionValue("time_limit", elapsed + max(left, 0.01))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kTimeLimit:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"configuration master: {status}")
        solution = self.highs.getSolution()
        self._primal = np.asarray(solution.col_value)
        dual = np.asarray(solution.row_dual)
        reviewers = self.instance.reviewer_count
        self.value = float(
            self.instance.base_score.sum()
            + self.highs.getInfo().objective_function_value
        )
        return np.maximum(dual[:reviewers], 0.0), dual

    def uses_artificial(self) -> bool:
        """Whether the last LP gives some paper no set (or none was solved)."""
        if not self._primal.size:
            return True
        active = np.count_nonzero(self.row_of >= 0)
        return bool((self._primal[:active] > 1e-6).any())

    def best_integral(self, seconds: float) -> NDArray[np.bool_] | None:
        """HiGHS: one column per paper within the loads, most total, for up to
        ``seconds``. First with the LP's settled columns fixed (a small MIP
        over the rest, for ``FIX_SHARE`` of the time), then on every column
        from the best start known: that, or the start's columns where they
        cover every paper."""
        deadline = time.perf_counter() + seconds
        n = len(self.columns)
        every = np.arange(n, dtype=np.int32)
        upper = np.array([0.0 if arcs.size == 0 else 1.0 for _, arcs in self.columns])
        self.highs.changeColsIntegrality(
            n, every, np.full(n, highspy.HighsVarType.kInteger)
        )
        covered = {self.columns[j][0] for j in self.starting}
        # A partial start (HiGHS completes it) led its search astray:
        # conflicts seed 2, 6 s: 0.9737 of the plain total, 0.9946 without.
        best = (
            np.array(self.starting, dtype=np.int32)
            if len(covered) == np.count_nonzero(self.row_of >= 0)
            else None
        )
        lower = np.zeros(n)
        lower[self._settled()] = 1.0
        for bounds, share in ((lower, FIX_SHARE), (np.zeros(n), 1.0)):
            left = deadline - time.perf_counter()
            if left <= 0 or (not bounds.any() and share < 1):
                continue
            self.highs.changeColsBounds(n, every, bounds, upper)
            # A MIP's time limit counts its own run only (unlike an LP's).
            self.highs.setOptionValue("time_limit", share * left)
            if best is not None:
                self.highs.setSolution(best.size, best, np.ones(best.size))
            self.highs.run()
            if self.highs.getInfo().primal_solution_status == 2:  # feasible
                values = np.asarray(self.highs.getSolution().col_value)
                best = np.flatnonzero(values > 0.5).astype(np.int32)
        if best is None:
            return None
        chosen = np.zeros(self.instance.arc_submission.size, dtype=bool)
        for j in best.tolist():
            chosen[self.columns[j][1]] = True
        return chosen

    def _settled(self) -> IntArray:
        """Columns the last LP takes whole, away from its fractional ones: on
        other papers, with other reviewers (993 of 1,500 papers on
        ``conflicts`` seed 2, of 1,430 the LP takes whole)."""
        x = np.zeros(len(self.columns))  # columns added since the LP are at 0
        x[: self._primal.size] = self._primal
        whole = x > 1 - 1e-6
        split = np.flatnonzero((x > 1e-6) & ~whole)
        owner = np.array([p for p, _ in self.columns])
        loose_owners = np.zeros(self.instance.submission_count, dtype=bool)
        loose_owners[owner[split]] = True
        loose = np.zeros(self.instance.reviewer_count, dtype=bool)
        for j in split.tolist():
            loose[self.instance.arc_reviewer[self.columns[j][1]]] = True
        for j in np.flatnonzero(whole).tolist():
            if loose[self.instance.arc_reviewer[self.columns[j][1]]].any():
                loose_owners[owner[j]] = True
        return np.flatnonzero(whole & ~loose_owners[owner])

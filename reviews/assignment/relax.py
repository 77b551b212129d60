"""The max-min LP relaxation of fair assignment, solved by column generation.

Over the fractional assignments that fill ``filled`` slots within every paper's
``k`` and reviewer's load (and, when given, at least ``lower[r]`` pairs per
reviewer), maximise ``t`` with every paper's affinity (papers with k > 0) at
least ``t``. The optimum ``t*`` is the *max-min LP bound*: no assignment,
fractional or integral, has a higher lowest paper score. The same rows (with a
fixed floor instead of ``t``) are the constraints of :mod:`.fair`'s MILP.

HiGHS takes 25-45 s on the whole LP at 2,500 x 1,800 with 300k candidate pairs,
yet an optimum uses few of them. So the LP is first solved on a small set of
arcs (the plain optimum's plus each paper's and each reviewer's best few); the
duals then price every other arc (one sparse product), arcs with a negative
reduced cost join, and the LP is solved again, until none is left. That last
check is over *all* arcs, so the value is the optimum of the full LP, not an
approximation: ``bounds.maxmin_lp_bound`` (the whole LP in one solve) is the
reference the tests compare it with. The restricted LP stays in one HiGHS
model between rounds (:class:`_Master`), so later rounds go on from the last
basis.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csc_matrix, vstack

from .bounds import fill_rows
from .highs import run_lp
from .solver import FloatArray, Instance, IntArray

__all__ = ["Relaxation", "best_ranks", "bound_then_prices", "lp_bound", "max_min_lp"]

# Starting arcs: each paper's and each reviewer's best few (plus the given ones).
START_PER_SUBMISSION = 4
START_PER_REVIEWER = 4
# Arcs priced in per round: the most negative reduced costs first.
BATCH = 10_000
PER_SUBMISSION_BATCH = 3
ROUNDS = 30
REDUCED_COST_TOLERANCE = 1e-7
# bound_then_prices: pricing rounds of the LP at fair mode's target floor
# (the dual simplex: 2.2 s on ``uniform`` seed 2, where the exact LP takes
# 4.8 s and its duals start the column generation no better).
PRICES_ROUNDS = 4
# _Master: interior point until fewer arcs than this price in (reduced cost
# below 0, before the per-paper cap), then the primal simplex (HiGHS's
# simplex_strategy 4); the dual simplex (1) for a few rounds at a floor (1.6 s
# vs 2.7 s for 3 rounds at 2,500 x 1,800 when each round was a new model).
SIMPLEX_BELOW = 5_000
PRIMAL_SIMPLEX, DUAL_SIMPLEX = 4, 1


@dataclass(frozen=True)
class Solution:
    value: float  # t* (max_min) or the total, existing pairs included (max_total)
    x: FloatArray  # one value per arc of the instance
    rounds: int
    exact: bool  # False if ROUNDS ended the pricing with arcs left to add
    # Per paper, the floor row's dual (>= 0; 0 for papers without slots): in
    # max_total, the Lagrange multiplier of "paper p >= floor", so a flow
    # maximising sum((1 + floor_duals[p]) * score) is optimal for the
    # Lagrangian and the LP optimum mixes such flows.
    floor_duals: FloatArray
    # Per arc, its reduced cost under the final duals (>= 0 for an arc the LP
    # leaves at 0 when exact): how much total an arc would cost to bring in.
    reduced: FloatArray
    # Per reviewer, the load row's dual (>= 0): the price of one more pair,
    # where the Lagrangian bound (:mod:`.lagrange`) starts.
    load_duals: FloatArray


class Relaxation:
    """Rows of both LPs over all arcs, built once; columns are sliced per solve."""

    def __init__(
        self, instance: Instance, filled: int, lower: IntArray | None = None
    ) -> None:
        self.instance = instance
        arcs = instance.arc_submission.size
        cols = np.arange(arcs)
        self.floor_submissions = np.flatnonzero(instance.per_submission > 0)
        row_of = np.full(instance.submission_count, -1)
        row_of[self.floor_submissions] = np.arange(self.floor_submissions.size)
        on_floor = row_of[instance.arc_submission] >= 0
        floor = coo_matrix(
            (
                -instance.arc_score[on_floor],
                (row_of[instance.arc_submission[on_floor]], cols[on_floor]),
            ),
            shape=(self.floor_submissions.size, arcs),
        ).tocsr()
        fill, b_fill, eq, b_eq = fill_rows(instance, filled)
        ub, b_ub = [fill], [b_fill]
        # fill's last rows are the reviewers' loads.
        self.load_rows = slice(fill.shape[0] - instance.reviewer_count, fill.shape[0])
        if lower is not None and lower.any():
            by_reviewer = fill[self.load_rows]
            ub.append(-by_reviewer[np.flatnonzero(lower)])
            b_ub.append(-lower[lower > 0].astype(float))
        self.fixed_rows = sum(block.shape[0] for block in ub)
        self.b_ub = np.concatenate(b_ub)
        self.b_eq = b_eq
        # Every row: the <= rows (fill, lower loads, floors), then the ==.
        self.a_all = csc_matrix(vstack([*ub, floor, eq]))
        self.base = instance.base_score[self.floor_submissions]

    def max_min(
        self, start: NDArray[np.bool_], *, deadline: float | None = None
    ) -> Solution:
        """The max-min LP bound ``t*`` and an optimal fractional assignment;
        ``start`` (e.g. the plain optimum) must hold a feasible assignment.
        Past ``deadline`` (``time.perf_counter()``) it raises RuntimeError."""
        return self._solve(start, None, deadline)

    def max_total(
        self,
        start: NDArray[np.bool_],
        floor: float,
        *,
        deadline: float | None = None,
        rounds: int | None = None,
    ) -> Solution:
        """The best fractional total (existing pairs included) with every paper
        at least ``floor``; ``start`` must hold a (fractional) assignment that
        reaches it: an integral one, or the max-min solution's support
        (``x > 0``) for any floor up to ``t*``. Past ``deadline``
        (``time.perf_counter()``) it raises RuntimeError; ``rounds`` caps the
        pricing rounds (then ``exact`` may be False: a lower bound only)."""
        return self._solve(start, floor, deadline, rounds or ROUNDS)

    def _solve(
        self,
        start: NDArray[np.bool_],
        floor: float | None,
        deadline: float | None = None,
        max_rounds: int = ROUNDS,
    ) -> Solution:
        instance = self.instance
        arcs = instance.arc_submission.size
        if floor is None:  # maximise t: one more column, +1 on the floor rows
            cost = np.zeros(arcs)
            b_ub = np.concatenate([self.b_ub, self.base])
            top = float(np.abs(instance.arc_score).max())
            ceiling = instance.base_score.max() + top * max(int(instance.need.max()), 1)
        else:
            cost = -instance.arc_score
            b_ub = np.concatenate([self.b_ub, self.base - floor])
        lp = _Master(self, b_ub, cost)
        if floor is None:
            lp.add_t(ceiling)  # a finite box helps the interior point method
        active = start | self._seed()
        lp.add(np.flatnonzero(active))
        quick = floor is not None and max_rounds < ROUNDS
        rounds, entered = 0, arcs
        while rounds < max_rounds:
            rounds += 1
            # See _Master: the dual simplex for a few rounds at a floor;
            # else interior point while many arcs enter, then the primal
            # simplex from the last basis.
            if quick:
                lp.solve("simplex", DUAL_SIMPLEX, deadline)
            elif rounds == 1 or entered > SIMPLEX_BELOW:
                lp.solve("ipm", None, deadline)
            else:
                lp.solve("simplex", PRIMAL_SIMPLEX, deadline)
            marginals = lp.row_dual
            # Reduced costs of every arc under the duals.
            reduced = cost - self.a_all.T @ marginals
            entering = np.flatnonzero(~active & (reduced < -REDUCED_COST_TOLERANCE))
            if not entering.size:
                break
            entered = entering.size  # priced in, before the caps below
            # Each paper's most negative few, so one round cannot flood the LP.
            rank = best_ranks(
                instance.arc_submission[entering],
                -reduced[entering],
                instance.submission_count,
            )
            entering = entering[rank < PER_SUBMISSION_BATCH]
            if entering.size > BATCH:
                entering = entering[np.argsort(reduced[entering])[:BATCH]]
            active[entering] = True
            lp.add(entering)
        x = np.zeros(arcs)
        solved = lp.col_value[lp.first_arc :]  # arcs added since are at 0
        x[lp.arcs[: solved.size]] = solved
        value = float(lp.col_value[0]) if floor is None else 0.0
        if floor is not None:
            value = float(instance.base_score.sum() + x @ instance.arc_score)
        # Minimising, a <= row's dual is <= 0: the multiplier is its negative.
        ineq = marginals[: b_ub.size]
        duals = np.zeros(instance.submission_count)
        duals[self.floor_submissions] = np.maximum(-ineq[self.fixed_rows :], 0.0)
        return Solution(
            value=value,
            x=x,
            rounds=rounds,
            exact=not entering.size,
            floor_duals=duals,
            reduced=reduced,
            load_duals=np.maximum(-ineq[self.load_rows], 0.0),
        )

    def _seed(self) -> NDArray[np.bool_]:
        instance = self.instance
        submission_rank = best_ranks(
            instance.arc_submission, instance.arc_score, instance.submission_count
        )
        reviewer_rank = best_ranks(
            instance.arc_reviewer, instance.arc_score, instance.reviewer_count
        )
        return (submission_rank < START_PER_SUBMISSION) | (
            reviewer_rank < START_PER_REVIEWER
        )


def lp_bound(
    instance: Instance, plain: NDArray[np.bool_], *, deadline: float | None = None
) -> float | None:
    """The max-min LP bound the chair sees next to a proposal: over assignments
    filling as many slots as the plain optimum ``plain`` and giving every
    reviewer as many pairs toward their minimum load as it does. None when
    HiGHS gives up or ``deadline`` passes (the figure is then missing)."""
    solved = max_min_lp(instance, plain, deadline=deadline)
    return None if solved is None else solved[1].value


def max_min_lp(
    instance: Instance,
    plain: NDArray[np.bool_],
    *,
    deadline: float | None = None,
    start: NDArray[np.bool_] | None = None,
) -> tuple[Relaxation, Solution] | None:
    """:func:`lp_bound`'s relaxation and its max-min solution (None as there).
    ``start``: more arcs for the first master (fair mode's shaped optimum,
    which already spreads the experts: 7 rounds instead of 8 on ``uniform``
    seed 3, 9 instead of 12 on ``skewed`` seed 1)."""
    counts = np.bincount(
        instance.arc_reviewer[plain], minlength=instance.reviewer_count
    )
    relaxation = Relaxation(
        instance, int(plain.sum()), np.minimum(instance.want, counts)
    )
    try:
        first = plain if start is None else plain | start
        return relaxation, relaxation.max_min(first.copy(), deadline=deadline)
    except RuntimeError:
        return None


class _Master:
    """The restricted LP in HiGHS, kept between pricing rounds (``highspy``):
    arcs that enter are appended as columns, so the simplex goes on from the
    last basis instead of a new model each round.

    Solving each round's LP from scratch (``scipy.optimize.linprog``, interior
    point) took 10-13 s for the max-min bound on ``uniform`` seed 3 (8
    rounds), 25 s on ``skewed`` seed 1 and 27 s on ``uniform`` seed 1: past
    the 12 s fair mode waits for it at a 30 s limit. The first masters are
    degenerate (the dual simplex stalls on the dense ``t`` column), so
    interior point with crossover solves them; once fewer than
    ``SIMPLEX_BELOW`` arcs enter, the primal simplex goes on from that basis
    (the new columns keep it feasible): 7.8 s, 17.1 s and 17.4 s from the
    plain optimum alone (``bench/assignment.py``'s ``bound_seconds``), and in
    fair mode, from its shaped optimum too and next to its lift, 6.6 s,
    10.1 s and 13.8 s (``fair_phases``). The LP at a floor: 3.2 s instead of
    6.5 s exact on ``uniform`` seed 3, 1.8 s instead of 2.7 s for 4 rounds.
    """

    def __init__(self, relaxation: Relaxation, b_ub: FloatArray, cost: FloatArray):
        self.a_all = relaxation.a_all
        self.cost = cost
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        rows = self.a_all.shape[0]
        lower = np.concatenate(
            [np.full(b_ub.size, -highspy.kHighsInf), relaxation.b_eq]
        )
        upper = np.concatenate([b_ub, relaxation.b_eq])
        empty = np.zeros(0, dtype=np.int32)
        self.highs.addRows(
            rows, lower, upper, 0, np.zeros(rows, dtype=np.int32), empty, []
        )
        self.first_arc = 0
        self.arcs = np.zeros(0, dtype=np.int64)
        self.floor_rows = np.arange(relaxation.fixed_rows, b_ub.size, dtype=np.int32)
        self.col_value = np.zeros(0)
        self.row_dual = np.zeros(rows)

    def add_t(self, ceiling: float) -> None:
        """The max-min LP's ``t``, column 0: +1 on every floor row."""
        rows = self.floor_rows
        self.highs.addCol(
            -1.0, -highspy.kHighsInf, ceiling, rows.size, rows, np.ones(rows.size)
        )
        self.first_arc = 1

    def add(self, arcs: IntArray) -> None:
        block = self.a_all[:, arcs]
        self.highs.addCols(
            arcs.size,
            self.cost[arcs],
            np.zeros(arcs.size),
            np.ones(arcs.size),
            block.nnz,
            block.indptr[:-1].astype(np.int32),
            block.indices.astype(np.int32),
            block.data,
        )
        self.arcs = np.concatenate([self.arcs, arcs])

    def solve(self, solver: str, strategy: int | None, deadline: float | None) -> None:
        """Solve; past ``deadline`` (or on failure) raise RuntimeError."""
        highs = self.highs
        highs.setOptionValue("solver", solver)
        if strategy is not None:
            highs.setOptionValue("simplex_strategy", strategy)
        if deadline is not None and deadline <= time.perf_counter():
            raise RuntimeError("relaxation: out of time")
        if not run_lp(highs, deadline, "relaxation failed"):
            raise RuntimeError("relaxation: out of time")
        solution = highs.getSolution()
        self.col_value = np.asarray(solution.col_value)
        self.row_dual = np.asarray(solution.row_dual)


def best_ranks(group: IntArray, score: FloatArray, groups: int) -> IntArray:
    """Each arc's rank by score within its group (0 = the group's best)."""
    order = np.lexsort((-score, group))
    start = np.searchsorted(group[order], np.arange(groups))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - start[group[order]]
    return rank


def bound_then_prices(
    instance: Instance,
    plain: NDArray[np.bool_],
    bound: Future[float | None],
    *,
    deadline: float,
    prices: tuple[Callable[[float], float], float] | None,
    start: NDArray[np.bool_] | None = None,
) -> FloatArray | None:
    """Fair mode's job for its other core: the max-min LP bound (into
    ``bound`` as soon as it is in), then, with ``prices`` (the target floor
    from the bound, and a deadline), the load duals of the LP's best total at
    that floor after ``PRICES_ROUNDS`` pricing rounds: the first prices of
    its column phase (:mod:`.branching`). ``start`` as in :func:`max_min_lp`."""
    try:
        solved = max_min_lp(instance, plain, deadline=deadline, start=start)
    except BaseException as error:
        bound.set_exception(error)
        raise
    bound.set_result(None if solved is None else solved[1].value)
    if solved is None or prices is None:
        return None
    relaxation, solution = solved
    floor_of, prices_deadline = prices
    try:
        return relaxation.max_total(
            solution.x > 0,  # reaches every floor up to the bound
            floor_of(solution.value),
            deadline=prices_deadline,
            rounds=PRICES_ROUNDS,
        ).load_duals
    except RuntimeError:  # out of time: the column phase starts from zeros
        return None

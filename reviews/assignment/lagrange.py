"""An integral upper bound on the best total at a floor, for instances of any
size (the bench's certificate; tests check it against exact solves).

The question is issue 17's joint goal: with every paper given ``count[p]``
reviewers, each at least ``floor``, within the loads, how much total can an
*integral* assignment have? HiGHS answers it exactly up to ~20k arcs
(:func:`reviews.assignment.bounds.integral_total_at_floor`); above that, the
LP at the floor (:meth:`reviews.assignment.relax.Relaxation.max_total`) is the
only bound, and integral assignments can sit far below it (``small`` seed 3:
0.9933 of the plain total where the LP allows 0.9981).

**Lagrangian bound.** Price each reviewer's load with ``mu_r >= 0``. For any
such prices, ``L(mu) = sum_r mu_r free_r + sum_p g_p(mu)`` bounds every
integral assignment's total (weak duality), where ``g_p`` is paper ``p``'s best
``sum(s - mu_r)`` over *integral* sets of ``count[p]`` candidates that reach
the floor. With ``g_p`` computed over fractional sets, ``L`` at the LP's load
duals is exactly the LP bound; computed over integral sets it can only be
lower: that difference is the integrality this bound captures (the
configuration LP's bound, approached by subgradient steps from the LP duals).

``g_p`` exactly: a candidate is never needed when ``count[p]`` others come
before it in (value, score) order with a score at least as high (swap it for
the one of them the set lacks: no less value, no less score). What remains is
a small frontier (``count[p]`` layers of a Pareto front, ~20 candidates of 120
on the bench), whose subsets are enumerated. A frontier too large to enumerate
falls back on the paper's own LP bound (still an upper bound).

**Price and branch.** The columns the configuration LP generated are also a
small search space for good *integral* assignments: HiGHS picking one column
per paper within the loads (:func:`configuration_bound` with
``mip_seconds``) gives an assignment with
every paper at the floor, which proves a goal pair reachable where fair mode's
30 s miss it: on ``conflicts`` seed 2 and ``uniform`` seeds 2-3 (fair mode
0.9367-0.9501 of the max-min LP bound at 0.9927-0.9956 of the plain total) it
found 0.95001-0.95003 at 0.99526-0.99617, within 0.00015 of the configuration
bound, in 113-287 s (``bench/assignment.py --configuration-seconds 200
--column-mip-seconds 300``). Too slow for fair mode itself: on 2,000 x 1,500
with 200 candidates a pricing round takes ~5 s, and ``conflicts`` seed 2, the
quickest, needed 15 s of rounds and 15 s of HiGHS after fair mode's own
result and the LP's duals.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

from .solver import FloatArray, Instance, IntArray

__all__ = ["configuration_bound", "total_at_floor_bound"]

# Above this many subsets a paper's frontier is bounded by its LP instead.
MAX_SUBSETS = 200_000
# The per-paper LP fallback tries these multipliers of the floor row.
FALLBACK_LAMBDAS = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 61)])
TOLERANCE = 1e-9
# An artificial column's loss, in units of the best score: a paper's best set
# scores at most ``count`` times that, so the master uses one only while no
# set of that paper is in it.
ARTIFICIAL_LOSS = 1_000.0


def total_at_floor_bound(
    instance: Instance,
    count: IntArray,
    floor: float,
    load_duals: FloatArray,
    *,
    iterations: int = 0,
    target: float | None = None,
) -> float | None:
    """The least ``L(mu)`` found: from ``load_duals`` (the LP's, or zeros),
    then ``iterations`` projected subgradient steps (Polyak's step toward
    ``target``, a total some assignment reaches, e.g. fair mode's). None when
    some paper cannot reach the floor with any ``count[p]`` candidates."""
    groups = _Groups(instance, count, floor)
    mu = np.maximum(np.asarray(load_duals, dtype=float), 0.0)
    best = math.inf
    for _ in range(iterations + 1):
        evaluated = groups.evaluate(mu)
        if evaluated is None:
            return None
        value, usage = evaluated
        best = min(best, value)
        gradient = instance.free - usage
        norm = float(gradient @ gradient)
        if target is None or norm == 0 or value <= target:
            break
        mu = np.maximum(mu - (value - target) / norm * gradient, 0.0)
    return best


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

    One column per paper and integral set of its candidates reaching the
    floor (``start``'s sets, where they have the count and reach it, are the
    first); rows: one set per paper, the loads. Each round prices every
    paper's best set under the master's load duals (the ``g_p`` above) and
    adds those that improve; ``L`` at those duals is an upper bound on every
    integral total at the floor whenever the loop stops (``bound``, the least
    seen; None if a paper cannot reach the floor), and ``master`` (the
    restricted LP's value, a lower bound on the configuration LP) says how far
    from converged it is. ``prices`` (the LP's load duals) add each paper's
    best set under them to the first columns, and bound at once.

    With ``mip_seconds``, price and branch: the best *integral* choice among
    the generated columns (HiGHS on the master with binary columns, for up to
    that long) is ``found``, a mask of arcs with every paper at its count and
    the floor, within the loads (else None). A heuristic (columns the LP never
    wanted are never tried), but every column reaches the floor, so what it
    finds is feasible; ``start``'s sets are columns, so it is never worse than
    ``start`` where ``start`` reaches the floor.
    """
    bound, master, columns = _generate(
        instance, count, floor, start, prices, rounds, deadline
    )
    if bound is None or mip_seconds <= 0:
        return bound, master, None
    return bound, master, _best_columns(instance, columns, count, mip_seconds)


def _generate(
    instance: Instance,
    count: IntArray,
    floor: float,
    start: NDArray[np.bool_],
    prices: FloatArray | None,
    rounds: int,
    deadline: float | None,
) -> tuple[float | None, float, list[tuple[int, IntArray]]]:
    groups = _Groups(instance, count, floor)
    active = groups.active
    # Each paper's first column is an artificial one (no reviewers, a large
    # loss), so the master is feasible from the start; then start's sets
    # that reach the floor.
    columns: list[tuple[int, IntArray]] = []
    for p in active.tolist():
        columns.append((p, np.zeros(0, dtype=np.int64)))
        arcs = groups.order[groups.cuts[p] : groups.cuts[p + 1]]
        chosen = arcs[start[arcs]]
        if (
            chosen.size == count[p]
            and instance.arc_score[chosen].sum() >= groups.need[p] - TOLERANCE
        ):
            columns.append((p, chosen))
    best = math.inf
    master = -math.inf
    if prices is not None:  # e.g. the LP's load duals: its best sets to start
        evaluated = groups.evaluate(np.maximum(prices, 0.0), sets=True)
        if evaluated is None:
            return None, master, columns
        best = evaluated[0]
        columns.extend(
            (p, arcs)
            for p, _, arcs in groups.last_sets
            if instance.arc_score[arcs].sum() >= groups.need[p] - TOLERANCE
        )
    row_of = np.full(instance.submission_count, -1)
    row_of[active] = np.arange(active.size)
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        mu, pi, master = _master(instance, columns, row_of, active.size)
        evaluated = groups.evaluate(mu, sets=True)
        if evaluated is None:
            return None, master, columns
        value, _usage = evaluated
        best = min(best, value)
        entering = [
            (p, arcs)
            for p, gain, arcs in groups.last_sets
            if gain > pi[row_of[p]] + 1e-7
            # A paper's LP fallback (not a set that reaches the floor) prices
            # the bound only.
            and instance.arc_score[arcs].sum() >= groups.need[p] - TOLERANCE
        ]
        if not entering:
            break
        columns.extend(entering)
    return best, master, columns


def _best_columns(
    instance: Instance,
    columns: list[tuple[int, IntArray]],
    count: IntArray,
    seconds: float,
) -> NDArray[np.bool_] | None:
    """HiGHS: one generated set per paper, within the loads, most total."""
    unique = {
        (p, tuple(sorted(arcs.tolist()))): arcs for p, arcs in columns if arcs.size
    }
    owner = np.array([p for p, _ in unique], dtype=np.int64)
    sets = list(unique.values())
    active = np.flatnonzero(count > 0)
    if not np.isin(active, owner).all():
        return None  # some paper has no set reaching the floor yet
    row_of = np.full(instance.submission_count, -1)
    row_of[active] = np.arange(active.size)
    lengths = np.array([arcs.size for arcs in sets])
    column = np.repeat(np.arange(len(sets)), lengths)
    arcs = np.concatenate(sets)
    loads = coo_matrix(
        (np.ones(arcs.size), (instance.arc_reviewer[arcs], column)),
        shape=(instance.reviewer_count, len(sets)),
    ).tocsr()
    one_each = coo_matrix(
        (np.ones(len(sets)), (row_of[owner], np.arange(len(sets)))),
        shape=(active.size, len(sets)),
    ).tocsr()
    profit = np.bincount(column, weights=instance.arc_score[arcs])
    result = milp(
        -profit,
        constraints=[
            LinearConstraint(one_each, 1, 1),
            LinearConstraint(loads, -np.inf, instance.free.astype(float)),
        ],
        integrality=np.ones(len(sets)),
        bounds=Bounds(0, 1),
        options={"time_limit": seconds, "disp": False},
    )
    if result.x is None:
        return None
    chosen = np.zeros(instance.arc_submission.size, dtype=bool)
    for j in np.flatnonzero(result.x > 0.5):
        chosen[sets[j]] = True
    return chosen


def _master(
    instance: Instance,
    columns: list[tuple[int, IntArray]],
    row_of: IntArray,
    groups: int,
) -> tuple[FloatArray, FloatArray, float]:
    """The restricted master LP: its load duals, convexity duals and value."""
    lengths = np.array([arcs.size for _, arcs in columns])
    owners = np.repeat(np.arange(len(columns)), lengths)
    arcs = np.concatenate([arcs for _, arcs in columns])
    loads = coo_matrix(
        (np.ones(arcs.size), (instance.arc_reviewer[arcs], owners)),
        shape=(instance.reviewer_count, len(columns)),
    ).tocsr()
    convexity = coo_matrix(
        (
            np.ones(len(columns)),
            (row_of[[p for p, _ in columns]], np.arange(len(columns))),
        ),
        shape=(groups, len(columns)),
    ).tocsr()
    profit = np.bincount(
        owners, weights=instance.arc_score[arcs], minlength=len(columns)
    )
    artificial = lengths == 0
    profit[artificial] = -ARTIFICIAL_LOSS * (1.0 + float(instance.arc_score.max()))
    result = linprog(
        -profit,
        A_ub=loads,
        b_ub=instance.free.astype(float),
        A_eq=convexity,
        b_eq=np.ones(groups),
        bounds=(0, None),
        method="highs-ds",
    )
    if result.status != 0:
        raise RuntimeError(f"configuration master: {result.message}")
    mu = np.maximum(-result.ineqlin.marginals, 0.0)
    pi = -result.eqlin.marginals
    value = float(instance.base_score.sum() - result.fun)
    return mu, pi, value


class _Groups:
    """Each paper's candidates, grouped once; :meth:`evaluate` prices them."""

    def __init__(self, instance: Instance, count: IntArray, floor: float) -> None:
        self.instance = instance
        order = np.argsort(instance.arc_submission, kind="stable")
        self.order = order
        self.cuts = np.searchsorted(
            instance.arc_submission[order], np.arange(instance.submission_count + 1)
        )
        self.count = count
        self.need = floor - instance.base_score  # per paper, before its arcs
        self.active = np.flatnonzero(count > 0)

    def evaluate(
        self, mu: FloatArray, *, sets: bool = False
    ) -> tuple[float, IntArray] | None:
        """``L(mu)`` and each reviewer's pairs in the best sets; with
        ``sets``, ``last_sets`` keeps ``(paper, gain, arcs)`` of each."""
        instance = self.instance
        self.last_sets: list[tuple[int, float, IntArray]] = []
        value = instance.arc_score - mu[instance.arc_reviewer]
        total = float(mu @ instance.free + instance.base_score.sum())
        usage = np.zeros(instance.reviewer_count, dtype=np.int64)
        for p in self.active.tolist():
            arcs = self.order[self.cuts[p] : self.cuts[p + 1]]
            best = _best_set(
                value[arcs], instance.arc_score[arcs], int(self.count[p]), self.need[p]
            )
            if best is None:
                return None
            gain, chosen = best
            if sets:
                self.last_sets.append((p, gain, arcs[chosen]))
            total += gain
            usage += np.bincount(
                instance.arc_reviewer[arcs[chosen]], minlength=instance.reviewer_count
            )
        return total, usage


def _best_set(
    value: FloatArray, score: FloatArray, size: int, need: float
) -> tuple[float, IntArray] | None:
    """Max ``value`` over ``size`` items with ``score`` summing to ``need`` or
    more (an upper bound if the frontier is too large); None if none does."""
    if size > value.size or np.sort(score)[::-1][:size].sum() < need - TOLERANCE:
        return None
    top = np.argsort(-value, kind="stable")[:size]
    if score[top].sum() >= need - TOLERANCE:
        return float(value[top].sum()), top
    order = np.lexsort((-score, -value))  # value first, then score
    ranked = score[order]
    earlier = np.tril(ranked[None, :] >= ranked[:, None], k=-1).sum(axis=1)
    kept = order[earlier < size]
    if math.comb(kept.size, size) <= MAX_SUBSETS:
        subsets = np.array(list(itertools.combinations(range(kept.size), size)))
        sums = score[kept][subsets].sum(axis=1)
        gains = np.where(
            sums >= need - TOLERANCE, value[kept][subsets].sum(axis=1), -np.inf
        )
        pick = int(np.argmax(gains))
        return float(gains[pick]), kept[subsets[pick]]
    # The paper's LP (dualised floor): any multiplier gives an upper bound.
    bounds = [
        (np.sort(value + lam * score)[::-1][:size].sum() - lam * need, lam)
        for lam in FALLBACK_LAMBDAS
    ]
    gain, lam = min(bounds)
    return float(gain), np.argsort(-(value + lam * score), kind="stable")[:size]

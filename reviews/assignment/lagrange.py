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

**The configuration LP** over those integral sets, and price and branch on
it, are in :mod:`reviews.assignment.columns` and :mod:`~reviews.assignment.branching`.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from .solver import FloatArray, Instance, IntArray

__all__ = ["top_sets", "total_at_floor_bound"]

# Above this many subsets a paper's frontier is bounded by its LP instead.
MAX_SUBSETS = 200_000
# The per-paper LP fallback tries these multipliers of the floor row.
FALLBACK_LAMBDAS = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 61)])
TOLERANCE = 1e-9
# top_sets: the items each set is drawn from (C(14, 4) = 1,001 subsets).
TOP_ITEMS = 14


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
        subsets = _subsets(kept.size, size)
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


def top_sets(
    value: FloatArray, score: FloatArray, size: int, need: float, many: int
) -> list[IntArray]:
    """Up to ``many`` best sets of ``size`` items by ``value`` with ``score``
    reaching ``need``, among the ``TOP_ITEMS`` items of most value (options
    for price and branch, not a bound: better sets may use other items)."""
    top = np.argsort(-value, kind="stable")[:TOP_ITEMS]
    if top.size < size:
        return []
    subsets = _subsets(top.size, size)
    reach = score[top][subsets].sum(axis=1) >= need - TOLERANCE
    gains = np.where(reach, value[top][subsets].sum(axis=1), -np.inf)
    picks = np.argsort(-gains, kind="stable")[:many]
    return [top[subsets[i]] for i in picks.tolist() if np.isfinite(gains[i])]


@functools.lru_cache(maxsize=64)
def _subsets(items: int, size: int) -> IntArray:
    """Every ``size``-subset of ``range(items)``, one a row (built once: it
    was a third of a pricing round at 2,000 papers, rebuilt for each)."""
    subsets = np.array(list(itertools.combinations(range(items), size)))
    subsets.flags.writeable = False
    return subsets

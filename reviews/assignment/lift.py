"""Fair assignment, phase 1: lift the minimum by augmenting-path local search.

FairFlow-style (Kobren et al. 2019). Start from an integral assignment (the
shaped or plain optimum). For a target ``tau``, repeatedly take the worst paper
``p`` below ``tau`` and find an augmenting path in the residual graph: ``p``
swaps its weakest reviewer ``a`` for a better candidate ``b``; if ``b`` is full,
one of ``b``'s papers swaps ``b`` for another of its candidates, and so on until
a reviewer with spare load is reached (or ``a`` itself, closing a cycle). Every
paper on the path keeps ``>= tau`` (or, if already below, does not lose). See
:mod:`reviews.assignment.fair` for the whole method and its measurements.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .solver import FloatArray, Instance, IntArray, submission_scores

__all__ = ["EPS", "Lifter", "lowest_score"]

# Scores are affinities of order 1; below this a gain is rounding noise, and
# accepting it could make the local search cycle on ties.
EPS = 1e-9
# Bisection stops when the bracket is this fraction of the score scale: finer
# targets cost a full round of searches for a gain no affinity model resolves.
TOLERANCE = 1e-3
# Augmenting paths longer than this are rare and each layer touches every
# candidate arc of the frontier's papers; the cap bounds one search's cost.
MAX_LAYERS = 12
# Searching this many layers past the first terminal finds paths that cost much
# less total affinity (~0.3% of the total at 2,000 x 1,500) for ~3x the time.
EXTRA_LAYERS = 1


def lowest_score(scores: FloatArray, with_slots: NDArray[np.bool_]) -> float:
    # No paper with slots: nothing to be fair about, and every start is equal.
    return float(scores[with_slots].min()) if with_slots.any() else 0.0


# lift_portfolio's runs: each paper's best this many candidates first, then
# all of them (measured in :mod:`reviews.assignment.fair`'s docstring).
LIFT_TOPS = (60, 40, 80)


class Lifter:
    """Phase 1: the augmenting-path local search on one integral assignment.

    Arcs are the instance's (sorted by paper, so a paper's candidates are the
    contiguous range ``start[p]:start[p + 1]``); ``used`` marks the assignment.
    """

    def __init__(self, instance: Instance, used: NDArray[np.bool_]) -> None:
        self.instance = instance
        self.submission = instance.arc_submission
        self.reviewer = instance.arc_reviewer
        self.score = instance.arc_score
        self.start = np.searchsorted(
            self.submission, np.arange(instance.submission_count + 1)
        )
        self.used = used.copy()
        self.scores = submission_scores(instance, self.used)
        self.spare = instance.free - np.bincount(
            self.reviewer[self.used], minlength=instance.reviewer_count
        )
        self.held = np.flatnonzero(self.used)
        self.active = (instance.per_submission > 0) & (np.diff(self.start) > 0)
        self.searches = 0
        self.paths = 0

    @property
    def minimum(self) -> float:
        with_slots = self.instance.per_submission > 0
        return lowest_score(self.scores, with_slots)

    def raise_minimum(
        self,
        *,
        deadline: float | None = None,
        stop: Callable[[], float | None] | None = None,
    ) -> None:
        """Bisect the target between the current minimum and an upper bound.

        ``stop`` (asked before each round; None = not known yet) ends the
        search once the minimum reaches it (fair mode's target floor). It does
        not lower the bisection's upper end: a failed target is still
        progress, so higher targets lift further (``small`` seed 3 ended at
        0.936-0.938 of the LP bound with the target or the LP bound as the
        upper end, at 0.95 with :meth:`_ceiling`).
        """
        low = self.minimum
        high = self._ceiling()
        tolerance = TOLERANCE * max(float(np.abs(self.score).max()), EPS)
        while high - low > tolerance:
            if deadline is not None and time.perf_counter() > deadline:
                break
            reached = None if stop is None else stop()
            if reached is not None and low >= reached:
                break
            target = 0.5 * (low + high)
            if self.reach(target, deadline):
                low = self.minimum
            else:
                high = target
                low = max(low, self.minimum)

    def _ceiling(self) -> float:
        """Max-min can't exceed any paper's base plus its best ``need`` scores."""
        instance = self.instance
        ceiling = np.inf
        order = np.lexsort((-self.score, self.submission))
        rank = np.arange(order.size) - self.start[self.submission[order]]
        top = order[rank < instance.need[self.submission[order]]]
        best = instance.base_score + np.bincount(
            self.submission[top],
            weights=self.score[top],
            minlength=instance.submission_count,
        )
        with_slots = instance.per_submission > 0
        ceiling = float(best[with_slots].min())
        return max(ceiling, self.minimum)

    def reach(self, target: float, deadline: float | None = None) -> bool:
        """Lift every paper to ``target``; False when some paper gets stuck,
        or at ``deadline`` (checked before each path: checked between rounds
        only, fair mode's lift ran past its 10.5 s share of a 30 s limit,
        12.3 s at 15,000 x 15,000 and 12.7-13.3 s on the bench's ``uniform``).

        Papers already at or above ``target`` stay there; the others never lose.
        """
        stuck = np.zeros(self.instance.submission_count, dtype=bool)
        while True:
            if deadline is not None and time.perf_counter() > deadline:
                return False  # each path kept the assignment whole
            low = np.flatnonzero(
                (self.scores < target - EPS) & (self.instance.per_submission > 0)
            )
            if low.size == 0:
                return True
            if (stuck[low] | ~self.active[low]).any():
                return False
            worst = int(low[np.argmin(self.scores[low])])
            if not self.augment(worst, target):
                stuck[worst] = True

    def augment(self, p: int, target: float) -> bool:
        """Apply one augmenting path raising paper ``p``; False if none exists.

        Paths are ranked by ``p``'s gain capped at what ``p`` still needs, then
        by the change in total affinity: reaching the target matters, and among
        paths that do, the cheapest one leaves experts for the next paper.
        """
        self.searches += 1
        reviewer, score, used = self.reviewer, self.score, self.used
        mine = np.arange(self.start[p], self.start[p + 1])
        held_p = mine[used[mine]]
        if held_p.size == 0:
            return False
        # Dropping the weakest reviewer leaves the most room to gain; with it
        # fixed, every path has one root and the cycle case is unambiguous.
        root = int(held_p[np.argmin(score[held_p])])
        root_reviewer = int(reviewer[root])
        need = target - self.scores[p]
        count = self.instance.reviewer_count
        visited = np.zeros(count, dtype=bool)
        visited[reviewer[held_p]] = True
        taken = np.full(count, -1)  # arc that brought the path to a reviewer
        dropped = np.full(count, -1)  # arc it replaced on the same paper
        gain = np.zeros(count)  # p's gain on the path through a reviewer
        change = np.zeros(count)  # total affinity change along that path
        expanded = np.zeros(self.instance.submission_count, dtype=bool)
        expanded[p] = True

        into = mine[~used[mine]]
        step = score[into] - score[root]
        keep = (step > EPS) & ~visited[reviewer[into]]
        into, step = into[keep], step[keep]
        reached = reviewer[into]
        taken[reached], dropped[reached] = into, root
        gain[reached], change[reached] = step, step
        visited[reached] = True
        # Terminal edges found so far: (gain, change, dropped arc, taken arc).
        # The search goes on for EXTRA_LAYERS after the first one, since a
        # longer path is often far cheaper in total affinity.
        found: list[tuple[FloatArray, FloatArray, IntArray, IntArray]] = []
        ends = self.spare[reached] > 0
        if ends.any():
            found.append(
                (
                    gain[reached][ends],
                    change[reached][ends],
                    np.full(int(ends.sum()), root),
                    into[ends],
                )
            )
        # A paper that is not p keeps >= target, or >= its own score if lower.
        floor = np.minimum(self.scores, target) - EPS
        frontier = np.zeros(count, dtype=bool)
        frontier[reached[~ends]] = True
        last = EXTRA_LAYERS if found else MAX_LAYERS
        for _ in range(MAX_LAYERS):
            if last <= 0:
                break
            last -= 1
            held = self.held[
                frontier[reviewer[self.held]] & ~expanded[self.submission[self.held]]
            ]
            if held.size == 0:
                break
            expanded[self.submission[held]] = True
            out, into = self._candidates(held)
            q = self.submission[out]
            head = reviewer[into]
            step = score[into] - score[out]
            ok = ~used[into] & (self.scores[q] + step >= floor[q])
            closes = head == root_reviewer  # the freed root: a cycle
            ok &= ~visited[head] | closes
            out, into, head, closes, step = (
                out[ok],
                into[ok],
                head[ok],
                closes[ok],
                step[ok],
            )
            if into.size == 0:
                break
            path_gain = gain[reviewer[out]]
            path_change = change[reviewer[out]] + step
            ends = closes | (self.spare[head] > 0)
            if ends.any():
                found.append(
                    (path_gain[ends], path_change[ends], out[ends], into[ends])
                )
                if len(found) == 1:
                    last = EXTRA_LAYERS
            # One way into each new reviewer: the best by the same ranking.
            inner = np.flatnonzero(~ends)
            order = inner[_ranking(path_gain[inner], path_change[inner], need)]
            _, first = np.unique(head[order], return_index=True)
            pick = order[first]
            reached = head[pick]
            taken[reached], dropped[reached] = into[pick], out[pick]
            gain[reached], change[reached] = path_gain[pick], path_change[pick]
            visited[reached] = True
            visited[head[ends & ~closes]] = True
            frontier[:] = False
            frontier[reached] = True
        if not found:
            return False
        parts = zip(*found, strict=True)
        gains, changes, outs, intos = (np.concatenate(part) for part in parts)
        best = _best(gains, changes, need)
        out, into = int(outs[best]), int(intos[best])
        end = int(reviewer[into])
        self.paths += 1
        self._flip(out, into)
        if end != root_reviewer:
            self.spare[end] -= 1
            self.spare[root_reviewer] += 1
        if out != root:
            self._walk(p, int(reviewer[out]), taken, dropped)
        self.held = np.flatnonzero(self.used)
        return True

    def _candidates(self, held: IntArray) -> tuple[IntArray, IntArray]:
        """All ``(held arc, candidate arc of the same paper)`` pairs."""
        submission = self.submission[held]
        low, high = self.start[submission], self.start[submission + 1]
        sizes = high - low
        row = np.repeat(np.arange(held.size), sizes)
        offset = np.arange(int(sizes.sum())) - np.repeat(
            np.cumsum(sizes) - sizes, sizes
        )
        return held[row], np.repeat(low, sizes) + offset

    def _walk(self, p: int, reviewer: int, taken: IntArray, dropped: IntArray) -> None:
        """Flip the arcs along the search tree from ``reviewer`` back to p."""
        while True:
            out, into = int(dropped[reviewer]), int(taken[reviewer])
            self._flip(out, into)
            if self.submission[out] == p:
                break  # ``out`` is p's root arc: the path is done
            reviewer = int(self.reviewer[out])
        self.held = np.flatnonzero(self.used)

    def _flip(self, out: int, into: int) -> None:
        self.used[out] = False
        self.used[into] = True
        self.scores[self.submission[into]] += self.score[into] - self.score[out]


def _ranking(gain: FloatArray, change: FloatArray, need: float) -> IntArray:
    """Indices best first: gain capped at ``need`` (reaching the target is what
    counts; overshooting spends an expert another low paper may need), then the
    total change."""
    return np.lexsort((-change, -np.minimum(gain, need)))


def _best(gain: FloatArray, change: FloatArray, need: float) -> int:
    return int(_ranking(gain, change, need)[0])


def lift_portfolio(
    instance: Instance,
    start: NDArray[np.bool_],
    rank: IntArray,
    *,
    deadline: float | None,
    stop: Callable[[], float | None] | None = None,
) -> tuple[Lifter, NDArray[np.bool_]]:
    """Phase 1 from several truncations of the candidate lists; the best lift.

    Each run lifts on every paper's best ``top`` candidates (plus ``start``'s
    arcs), then goes on over all arcs from there. A truncated graph is cheaper
    to search (a path that dumps a strong reviewer on a rich paper's 150th
    candidate is rarely the one needed) and each truncation steers the
    greedy search another way, so the runs end at different minima: the best
    of them beats one run on all arcs (see the module docstring). Returns the
    best run and the union of every run's arcs: different local optima, where
    phase 3 searches. ``rank``: each arc's rank in its paper's candidates.
    """
    first, *others = LIFT_TOPS
    best = lift_truncated(instance, start, rank < first, deadline, stop)
    optima = best.used.copy()
    for top in others:
        if deadline is not None and time.perf_counter() > deadline:
            break
        lifter = lift_truncated(instance, start, rank < top, deadline, stop)
        optima |= lifter.used
        if lifted_better(lifter, best, None if stop is None else stop()):
            best = lifter
    return best, optima


def lift_truncated(
    instance: Instance,
    start: NDArray[np.bool_],
    top: NDArray[np.bool_],
    deadline: float | None,
    stop: Callable[[], float | None] | None,
) -> Lifter:
    keep = top | start
    if not keep.all():
        narrow = dataclasses.replace(
            instance,
            arc_submission=instance.arc_submission[keep],
            arc_reviewer=instance.arc_reviewer[keep],
            arc_score=instance.arc_score[keep],
        )
        lifter = Lifter(narrow, start[keep])
        lifter.raise_minimum(deadline=deadline, stop=stop)
        start = np.zeros_like(start)
        start[np.flatnonzero(keep)[lifter.used]] = True
    lifter = Lifter(instance, start)
    lifter.raise_minimum(deadline=deadline, stop=stop)
    return lifter


def lifted_better(candidate: Lifter, incumbent: Lifter, cap: float | None) -> bool:
    new, old = candidate.minimum, incumbent.minimum
    if cap is not None:  # above the target floor, only the total counts
        new, old = min(new, cap), min(old, cap)
    if new > old + EPS:
        return True
    return new >= old - EPS and candidate.scores.sum() > incumbent.scores.sum() + EPS

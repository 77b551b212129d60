"""Fair assignment, phase 2: give total back outside a growing protected set.

See :mod:`reviews.assignment.fair` (its docstring describes the phases).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from numpy.typing import NDArray

from .lift import EPS, lowest_score
from .merging import merge_total
from .solver import FloatArray, Instance, solve_weighted, submission_scores

__all__ = ["better", "restore_and_merge", "restore_total"]

# The protected set grows by the papers that fell below tau*; at worst it ends
# with everything protected (= the lifted assignment), so the cap only trades
# total for time.
RESTORE_ROUNDS = 30


def restore_total(
    instance: Instance,
    lifted: NDArray[np.bool_],
    plain_scores: FloatArray,
    floor: float | None = None,
    deadline: float | None = None,
    first_round: float = 0.0,
) -> tuple[NDArray[np.bool_], int]:
    """Phase 2: re-optimise the total outside a growing protected set, every
    paper kept at ``lifted``'s minimum or ``floor``, whichever is lower.

    A round starts only if one as long as the last still ends by
    ``deadline`` (a round is one min-cost flow: ~2 s at 15,000 x 15,000,
    where the six rounds took 12.5 s and ran fair mode past its limit); out
    of time, ``lifted`` itself is the answer (rounds: those run).
    ``first_round`` estimates the first round's seconds: the plain optimum's
    (with minimum loads one round took 3 s there, and started with 1.6 s
    left)."""
    with_slots = instance.per_submission > 0
    lowest = lowest_score(submission_scores(instance, lifted), with_slots)
    floor = (lowest if floor is None else min(lowest, floor)) - EPS
    protected = with_slots & (plain_scores < floor)
    best = lifted
    rounds = 0
    last = first_round  # the last round's seconds
    while rounds < RESTORE_ROUNDS:
        began = time.perf_counter()
        if deadline is not None and began + last > deadline:
            break
        rounds += 1
        candidate = _solve_outside(instance, lifted, protected)
        last = time.perf_counter() - began
        candidate_scores = submission_scores(instance, candidate)
        fallen = with_slots & ~protected & (candidate_scores < floor)
        if not fallen.any():
            best = candidate
            break
        protected |= fallen
    return best, rounds


def _solve_outside(
    instance: Instance, lifted: NDArray[np.bool_], protected: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Keep ``lifted`` on protected papers, min-cost max-flow for the rest."""
    fixed = lifted & protected[instance.arc_submission]
    free_arcs = ~protected[instance.arc_submission]
    kept = np.bincount(instance.arc_reviewer[fixed], minlength=instance.reviewer_count)
    rest = dataclasses.replace(
        instance,
        need=np.where(protected, 0, instance.need),
        free=instance.free - kept,
        # The protected papers' pairs count toward the minimum loads too.
        want=np.maximum(instance.want - kept, 0),
        arc_submission=instance.arc_submission[free_arcs],
        arc_reviewer=instance.arc_reviewer[free_arcs],
        arc_score=instance.arc_score[free_arcs],
    )
    used = fixed.copy()
    used[free_arcs] = solve_weighted(rest)
    return used


def better(
    instance: Instance,
    candidate: NDArray[np.bool_],
    incumbent: NDArray[np.bool_],
    target: float | None = None,
) -> bool:
    """Lexicographic (the fairness option's order): the same filled count, then
    a higher minimum (counted up to ``target`` only), or the same minimum and a
    total at least as high."""
    if candidate.sum() != incumbent.sum():
        return False
    with_slots = instance.per_submission > 0
    new, old = (
        submission_scores(instance, candidate),
        submission_scores(instance, incumbent),
    )
    new_min, old_min = lowest_score(new, with_slots), lowest_score(old, with_slots)
    if target is not None:
        new_min, old_min = min(new_min, target), min(old_min, target)
    if new_min > old_min + EPS:
        return True
    return new_min >= old_min - EPS and new.sum() >= old.sum() - EPS


def restore_and_merge(
    instance: Instance,
    used: NDArray[np.bool_],
    extra: NDArray[np.bool_],
    plain_scores: FloatArray,
    *,
    deadline: float,
    floor: float | None,
    first_round: float,
) -> NDArray[np.bool_]:
    """The best total keeping ``used``'s minimum (or ``floor``, if lower):
    phase 2's flows outside the protected papers, then solution merging with
    ``extra``'s arcs (:func:`reviews.assignment.merging.merge_total`)."""
    restored, _ = restore_total(
        instance, used, plain_scores, floor, deadline, first_round
    )
    start = restored if better(instance, restored, used, floor) else used
    return merge_total(
        instance, start, [extra, restored], deadline=deadline, floor=floor
    )

"""Fair assignment, later stages: floor raising -> MILP total.

Used by :mod:`reviews.assignment.fair` after its augmenting-path local search
(whose result ``A`` stays the fallback). :func:`improve` is phase 3, two
solves on a restricted arc set, the caller's ``support``:

1. **Raise the floor** (:func:`reviews.assignment.floor.raise_floor`) on the
   support plus ``A``'s arcs, hinted with ``A``, so it starts at ``A``'s
   minimum and only goes up. The support is small (the arcs of the phase-1
   runs' local optima, the plain and shaped optima and each paper's best
   three candidates: ~14k arcs at 2,000 x 1,500), so CP-SAT proves steps
   reachable or not in seconds. Until issue 17's second round the support
   came from three to four LPs ("maximise the total with every paper at least
   ``T``", bisecting ``T``) on each paper's best 50 candidates: as good a
   place for CP-SAT to search (uniform seed 1, 15 s of CP-SAT: 2.2056 there,
   2.2012 on the union), but it took 4-11 s of a 30 s budget that CP-SAT now
   gets, and it failed on ``skewed``.
2. **Total** (:func:`reviews.assignment.merging.merge_total`). HiGHS maximises
   the total with every paper at least step 1's minimum, on the union of a few
   assignments' arcs: step 1's, its flow restoration's and the plain optimum's
   (lifting the minimum costs total, and the plain arcs are what gives it
   back), then the arcs the LP at that floor points to (min-cost flows weighted
   by its floor rows' duals, its support, the arcs of lowest reduced cost), one
   more set per solve while time remains.

``merge_total`` is also the caller's restoration when step 2 ran out of time.
Every stage keeps each paper's number of reviewers from ``A``; the caller
compares results on real scores.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .floor import raise_floor
from .merging import merge_total
from .solver import Instance, submission_scores

__all__ = ["improve"]

logger = logging.getLogger(__name__)

# Seconds kept for merge_total (at most 45% of what remains): its
# first three solves give most of the total back in ~10 s at 2,000 x 1,500.
MERGE_RESERVE = 30.0


def improve(
    instance: Instance,
    current: NDArray[np.bool_],
    extra: NDArray[np.bool_],
    *,
    support: NDArray[np.bool_],
    deadline: float,
    restore: Callable[[NDArray[np.bool_]], NDArray[np.bool_]] | None = None,
    target: float | None = None,
) -> NDArray[np.bool_] | None:
    """A (hopefully) fairer assignment with each paper's count from ``current``.

    ``support`` marks the arcs the floor raising may use (with ``current``'s);
    ``extra`` marks arcs offered to the total MILP (the plain optimum).
    ``restore`` (the caller's flow-based restoration of the total, keeping the
    minimum) adds its arcs too. With a ``target`` floor (fair mode's), the
    floor is raised no further than that, and not at all when ``current``
    reaches it: the merging then keeps every paper at the target only, which
    leaves it room for total. Returns None when a stage fails.
    """
    restore = restore or (lambda used: used)
    submission = instance.arc_submission
    count = np.bincount(submission[current], minlength=instance.submission_count)
    if not count.any() or time.perf_counter() >= deadline:
        return None
    open_arcs = count[submission] > 0  # a paper's count never changes here
    scores = submission_scores(instance, current)
    low = float(scores[count > 0].min())
    reserve = min(MERGE_RESERVE, 0.45 * (deadline - time.perf_counter()))
    allowed = (support | current) & open_arcs
    restricted = dataclasses.replace(
        instance,
        arc_submission=submission[allowed],
        arc_reviewer=instance.arc_reviewer[allowed],
        arc_score=instance.arc_score[allowed],
    )
    if target is not None and low >= target:
        raised = current[allowed]
    else:
        raised = raise_floor(
            restricted, current[allowed], deadline=deadline - reserve, ceiling=target
        )
    if raised is None:
        return None
    columns = np.flatnonzero(allowed)

    def widen(used: NDArray[np.bool_]) -> NDArray[np.bool_]:
        full = np.zeros(submission.size, dtype=bool)
        full[columns[used]] = True
        return full

    lifted = widen(raised)
    logger.info(
        "improve: floor on the support %s -> %s",
        low,
        submission_scores(instance, lifted)[count > 0].min(),
    )
    # Give the total back at the raised floor: the flow restoration keeps
    # lifted's minimum and only adds total, so it is the start; merging it with
    # the plain optimum (which carries the total) and lifted does the rest.
    start = restore(lifted)
    return merge_total(
        instance, start, [extra & open_arcs, lifted], deadline=deadline, floor=target
    )

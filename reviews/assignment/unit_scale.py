"""Fair mode on affinities of order 1, whatever unit the caller's scores use.

Fair mode's tolerances are absolute and sized for affinities of order 1
(:data:`reviews.assignment.lift.EPS` 1e-9, HiGHS's 1e-7 on a floor row,
CP-SAT's fixed-point scale). Scores in another unit broke them: with
affinities of order 1e-12 every gain was "rounding noise", so the lift's
bisection never moved and fair mode never returned (found by a fuzz of
``assign(fair=True)``: 21 papers, 24 reviewers). Scores whose largest
magnitude is outside [1/16, 16] are therefore divided by the power of two
nearest to it, which is exact in floating point (the same arcs compare the
same way), and the score figures in the stats are multiplied back. Scores of
order 1 are left as they are, so nothing changes for them.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray

from .solver import Instance

__all__ = ["solve_fair_in_unit"]

LOW, HIGH = 2.0**-4, 2.0**4
# The stats that are scores (the rest are counts, flags and seconds).
SCORE_STATS = frozenset(
    {
        "plain_min",
        "plain_total",
        "lp_bound",
        "local_min",
        "exact_min",
        "exact_total",
        "lifted_min",
        "lifted_total",
    }
)


def unit(instance: Instance) -> float:
    """1, or the power of two nearest to the largest score magnitude."""
    largest = max(
        float(np.abs(instance.arc_score).max(initial=0.0)),
        float(np.abs(instance.existing_score).max(initial=0.0)),
    )
    if largest == 0.0 or LOW <= largest <= HIGH:
        return 1.0
    return 2.0 ** round(math.log2(largest))


def solve_fair_in_unit(
    instance: Instance, *, time_limit: float | None = None
) -> tuple[NDArray[np.bool_], dict[str, float]]:
    """:func:`reviews.assignment.fair.solve_fair` on scores of order 1."""
    from .fair import solve_fair  # fair builds on the solver, as this module

    scale = unit(instance)
    if scale != 1.0:
        instance = dataclasses.replace(
            instance,
            arc_score=instance.arc_score / scale,
            existing_score=instance.existing_score / scale,
            base_score=instance.base_score / scale,
        )
    used, stats = solve_fair(instance, time_limit=time_limit)
    return used, {
        name: value * scale if name in SCORE_STATS else value
        for name, value in stats.items()
    }

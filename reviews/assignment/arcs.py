"""Arc-set helpers shared by the exact stages of the fair assignment.

:mod:`reviews.assignment.exact` (LP support), :mod:`reviews.assignment.floor`
(CP-SAT floor raising) and :mod:`reviews.assignment.merging` (MILP total) all
work on a subset of an instance's arcs: these rank the arcs within a paper and
build the fill, load and score rows of the LP/MILP over such a subset.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import coo_matrix

from .solver import Instance, IntArray

__all__ = ["constraint_rows", "floor_milp", "rank_in_submission"]


def rank_in_submission(instance: Instance) -> IntArray:
    """Each arc's rank among its paper's candidates, best score first (0)."""
    submission = instance.arc_submission
    order = np.lexsort((-instance.arc_score, submission))
    first = np.searchsorted(submission[order], np.arange(instance.submission_count + 1))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - first[submission[order]]
    return rank


def constraint_rows(
    instance: Instance, columns: IntArray, count: IntArray, extra: int
) -> tuple[coo_matrix, coo_matrix, coo_matrix, IntArray]:
    """Fill, load and score rows over ``columns`` (+ ``extra`` free columns)."""
    n = columns.size
    width = n + extra
    cp = instance.arc_submission[columns]
    active = np.flatnonzero(count > 0)
    row = np.full(instance.submission_count, -1)
    row[active] = np.arange(active.size)
    ok = row[cp] >= 0
    cols = np.flatnonzero(ok)
    fill = coo_matrix((np.ones(cols.size), (row[cp[ok]], cols)), (active.size, width))
    loads = coo_matrix(
        (np.ones(n), (instance.arc_reviewer[columns], np.arange(n))),
        (instance.reviewer_count, width),
    )
    value = instance.arc_score[columns]
    score = coo_matrix((value[ok], (row[cp[ok]], cols)), (active.size, width))
    return fill, loads, score, active


def floor_milp(
    instance: Instance,
    columns: IntArray,
    count: IntArray,
    floor: float,
    time_limit: float,
) -> OptimizeResult:
    """HiGHS: the most total on ``columns`` with each paper's ``count``
    reviewers, within the loads, every paper with some at least ``floor``."""
    fill, loads, score, active = constraint_rows(instance, columns, count, 0)
    return milp(
        -instance.arc_score[columns],
        constraints=[
            LinearConstraint(fill, count[active], count[active]),
            LinearConstraint(loads, -np.inf, instance.free),
            LinearConstraint(score, floor - instance.base_score[active], np.inf),
        ],
        integrality=np.ones(columns.size),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": time_limit, "disp": False},
    )

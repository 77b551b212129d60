"""Fair mode's start when reviewers are too few: spread the slots first.

Fair mode's phases keep each paper's reviewer count from the assignment they
start from (the lift swaps reviewers, the floor raising fixes the counts). When
the loads cannot fill every slot, the plain optimum decides those counts by
affinity alone: it gave two submissions two reviewers each and two others none
while one each for all was possible, and no phase could move a reviewer to an
empty paper (the lowest paper score stayed 0 against a max-min optimum of
0.18; 18 of 300 random small instances with short loads ended so).

:func:`solve_even` first spreads the counts: a min-cost maximum flow in which
a paper's i-th reviewer (existing ones counted) costs i. The cost is convex in
each paper's count, so among maximum flows it minimises the sum of squared
counts, which on a flow polytope also maximises the smallest count, then the
next (a separable convex minimiser is lexicographically optimal there,
Fujishige). With those counts as each paper's slots, the plain optimum (exact,
:func:`reviews.assignment.solver.solve_weighted`) picks the reviewers.

Even counts are not always the fairest: a paper with one strong reviewer may
need no second one while another needs two. On small instances
(:data:`EXACT_ARCS`) :func:`solve_short_exact` solves the order fair mode
promises exactly instead, with two HiGHS MILPs in which the counts are free:
the most pairs, then the highest lowest paper score, then the most total.
On the 300 random instances above it reached the max-min optimum on every one
the even start still missed (10 of 300).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack

from .lift import lowest_score
from .solver import Instance, IntArray, solve_weighted, submission_scores

__all__ = [
    "EXACT_ARCS",
    "even_counts",
    "solve_even",
    "solve_short_exact",
    "start_when_short",
]

# Up to this many candidate pairs, fair mode with too few reviewers is solved
# exactly (two MILPs of a few thousand binaries: milliseconds to a second).
EXACT_ARCS = 5_000
# The second MILP keeps the lowest score found by the first, less this share
# of the score scale (HiGHS' feasibility tolerance, not a trade).
KEEP = 1e-7


def even_counts(instance: Instance) -> IntArray:
    """Per paper, how many new reviewers a maximum flow gives it when the
    counts (existing pairs included) are as even as the candidates allow."""
    submissions, reviewers = instance.submission_count, instance.reviewer_count
    arc_count = instance.arc_submission.size
    if arc_count == 0:
        return np.zeros(submissions, dtype=np.int64)
    existing = np.bincount(instance.existing_submission, minlength=submissions)
    # One unit arc per open slot: paper p's i-th new reviewer costs existing + i.
    slot_owner = np.repeat(np.arange(submissions), instance.need)
    slot_rank = np.arange(slot_owner.size) - np.repeat(
        np.cumsum(instance.need) - instance.need, instance.need
    )
    source, sink = submissions + reviewers, submissions + reviewers + 1
    tails = np.concatenate(
        [
            np.full(slot_owner.size, source),
            instance.arc_submission,
            np.arange(submissions, submissions + reviewers),
        ]
    ).astype(np.int32)
    heads = np.concatenate(
        [
            slot_owner,
            instance.arc_reviewer + submissions,
            np.full(reviewers, sink),
        ]
    ).astype(np.int32)
    capacities = np.concatenate(
        [np.ones(slot_owner.size + arc_count, dtype=np.int64), instance.free]
    )
    costs = np.concatenate(
        [
            existing[slot_owner] + slot_rank,
            np.zeros(arc_count + reviewers, dtype=np.int64),
        ]
    ).astype(np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_node_supply(source, int(instance.need.sum()))
    solver.set_node_supply(sink, -int(instance.free.sum()))
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = solver.flows(np.arange(slot_owner.size, dtype=np.int32))
    return np.bincount(slot_owner, weights=flows, minlength=submissions).astype(
        np.int64
    )


def solve_even(instance: Instance) -> NDArray[np.bool_]:
    """The plain optimum among assignments with :func:`even_counts`' counts."""
    counts = even_counts(instance)
    return solve_weighted(dataclasses.replace(instance, need=counts))


def solve_short_exact(
    instance: Instance, pairs: int, *, time_limit: float
) -> NDArray[np.bool_] | None:
    """``pairs`` pairs (the most the loads allow), the highest lowest paper
    score among them, then the most total: exact, each paper's count free.
    None when HiGHS does not prove both stages within ``time_limit`` seconds
    (split between them)."""
    n = instance.arc_submission.size
    submissions, reviewers = instance.submission_count, instance.reviewer_count
    columns = np.arange(n)
    fill = coo_matrix(
        (np.ones(n), (instance.arc_submission, columns)), (submissions, n)
    )
    loads = coo_matrix((np.ones(n), (instance.arc_reviewer, columns)), (reviewers, n))
    score = coo_matrix(
        (instance.arc_score, (instance.arc_submission, columns)), (submissions, n)
    )
    slots = np.flatnonzero(instance.per_submission > 0)
    score = score.tocsr()[slots]
    base = instance.base_score[slots]
    # Variables: the arcs, then t (the lowest score). Rows: counts, loads, the
    # number of pairs, and score_p - t >= -base_p for every paper with slots.
    minus_t = coo_matrix(
        (-np.ones(slots.size), (np.arange(slots.size), np.zeros(slots.size))),
        (slots.size, 1),
    )
    zero = coo_matrix((submissions, 1))
    rows = [
        LinearConstraint(hstack([fill, zero]), 0, instance.need),
        LinearConstraint(hstack([loads, coo_matrix((reviewers, 1))]), 0, instance.free),
        LinearConstraint(np.append(np.ones(n), 0.0)[None, :], pairs, pairs),
        LinearConstraint(hstack([score, minus_t]), -base, np.inf),
    ]
    # When even the most even counts leave a paper with slots and no reviewer
    # at all, every assignment of that many pairs does: its score is 0, and
    # saying so closes the LP's gap at once (else HiGHS took 5 s to prove it
    # on 110 pairs).
    total_count = np.bincount(
        instance.existing_submission, minlength=submissions
    ) + even_counts(instance)
    ceiling = 0.0 if (total_count[slots] == 0).any() else np.inf

    def solve(objective: NDArray[np.float64], lowest: float) -> NDArray | None:
        """The arcs and t of an optimum with t >= lowest, or None unproven."""
        found = milp(
            objective,
            constraints=rows,
            integrality=np.append(np.ones(n), 0),
            bounds=Bounds(
                np.append(np.zeros(n), lowest), np.append(np.ones(n), ceiling)
            ),
            options={"time_limit": time_limit / 2, "disp": False},
        )
        return found.x if found.status == 0 and found.x is not None else None

    first = solve(np.append(np.zeros(n), -1.0), -np.inf)  # max t
    if first is None:
        return None
    scale = max(float(np.abs(instance.arc_score).max(initial=0.0)), 1.0)
    second = solve(np.append(-instance.arc_score, 0.0), first[-1] - KEEP * scale)
    return None if second is None else np.asarray(second[:n] > 0.5)


# Seconds for the exact solve of a small instance, when the caller sets no limit.
SHORT_EXACT_SECONDS = 4.0


def start_when_short(
    instance: Instance,
    plain: NDArray[np.bool_],
    start: NDArray[np.bool_],
    *,
    time_limit: float | None,
) -> tuple[NDArray[np.bool_], bool]:
    """Fair mode's start when ``plain`` (the plain optimum) leaves slots open:
    (the exact answer, True) for a small instance without minimum loads, else
    (the even start if its lowest score beats ``start``'s, or ``start``;
    False), for the phases to go on from."""
    with_slots = instance.per_submission > 0
    if instance.arc_submission.size <= EXACT_ARCS and not instance.want.any():
        limit = SHORT_EXACT_SECONDS if time_limit is None else time_limit / 2
        exact = solve_short_exact(instance, int(plain.sum()), time_limit=limit)
        if exact is not None:
            return exact, True
    even = solve_even(instance)
    start_min = lowest_score(submission_scores(instance, start), with_slots)
    if lowest_score(submission_scores(instance, even), with_slots) > start_min:
        return even, False
    return start, False

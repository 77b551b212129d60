"""A concave "spread the experts" objective that is still a min-cost flow.

Used by :mod:`reviews.assignment.fair` as the starting point of its local
search: it already spreads scarce experts, so fewer (and cheaper) augmenting
paths are needed than from the plain optimum.

Split the score range into tiers at thresholds ``tau_1 < ... < tau_J``; let
``n_p(tau)`` be how many of paper p's reviewers score at least ``tau``. A paper's
affinity is (up to the discretisation) ``sum_j (tau_j - tau_{j-1}) * n_p(tau_j)``,
a sum of counts. Make each count *concave* (its i-th unit earns ``decay**(i-1)``
instead of 1) and the first expert on a paper becomes worth more than the second
one on another, so experts spread. Counts are flows: paper p becomes a chain of
nodes ``v_p0 -> v_p1 -> ... -> v_pJ`` with its tier-j pairs leaving from
``v_pj``; the flow on ``v_p(j-1) -> v_pj`` is ``n_p(tau_j)``, and parallel unit
arcs with increasing cost make it concave. The result is an exact optimum of
``sum(score) + strength * sum_p weight_p * sum_j dtau_j * concave(n_p(tau_j))``
among maximum flows, so it fills every fillable slot.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from .solver import FloatArray, Instance

__all__ = ["solve_shaped"]

TIERS = 12
# Same resolution argument as the plain solver's COST_RESOLUTION.
_COST_RESOLUTION = 2**24


def solve_shaped(
    instance: Instance,
    *,
    strength: float,
    decay: float,
    submission_weight: FloatArray | None = None,
    tiers: int = TIERS,
) -> NDArray[np.bool_]:
    """Exact max-flow, then max of the concave shaped objective (module doc)."""
    submissions, reviewers = instance.submission_count, instance.reviewer_count
    arc_count = instance.arc_submission.size
    score = instance.arc_score
    weight = np.ones(submissions) if submission_weight is None else submission_weight
    # Tier thresholds at score quantiles: each tier holds about as many pairs.
    cuts = np.unique(np.quantile(score, np.linspace(0, 1, tiers + 1)[1:-1]))
    tier = np.searchsorted(cuts, score, side="right")  # 0..J
    levels = cuts.size
    lower = np.concatenate([[min(score.min(), 0.0)], cuts])
    dtau = np.diff(lower)  # width below each threshold, one per chain arc

    # Node numbering: reviewers, then source, sink, then chain v_{p,j} for
    # p < papers, j <= levels at index base + p * (levels + 1) + j.
    source, sink = reviewers, reviewers + 1
    base = reviewers + 2

    def chain(p: NDArray[np.int64], j: NDArray[np.int64] | int) -> NDArray[np.int64]:
        return base + p * (levels + 1) + j

    # Pair arcs leave from their tier's chain node.
    pair_tail = chain(instance.arc_submission, tier)
    pair_head = instance.arc_reviewer
    pair_value = score.copy()

    # Chain arcs: for each paper, level j (1..levels) and unit i (0..need-1).
    k_max = int(instance.need.max()) if submissions else 0
    p_idx, j_idx, i_idx = np.meshgrid(
        np.arange(submissions),
        np.arange(1, levels + 1),
        np.arange(k_max),
        indexing="ij",
    )
    p_idx, j_idx, i_idx = p_idx.ravel(), j_idx.ravel(), i_idx.ravel()
    keep = i_idx < instance.need[p_idx]
    p_idx, j_idx, i_idx = p_idx[keep], j_idx[keep], i_idx[keep]
    chain_value = strength * weight[p_idx] * dtau[j_idx - 1] * decay**i_idx

    values = np.concatenate([pair_value, chain_value])
    largest = float(np.abs(values).max()) or 1.0
    nodes = base + submissions * (levels + 1)
    limit = min(_COST_RESOLUTION, np.iinfo(np.int64).max // ((nodes + 1) * 256))
    scale = 2.0 ** np.floor(np.log2(limit / largest))
    costs = -np.rint(values * scale).astype(np.int64)

    submission_ids = np.arange(submissions)
    tails = np.concatenate(
        [
            pair_tail,
            chain(p_idx, j_idx - 1),
            np.full(submissions, source),
            np.arange(reviewers),
        ]
    )
    heads = np.concatenate(
        [
            pair_head,
            chain(p_idx, j_idx),
            chain(submission_ids, 0),
            np.full(reviewers, sink),
        ]
    )
    capacities = np.concatenate(
        [np.ones(arc_count + p_idx.size, dtype=np.int64), instance.need, instance.free]
    )
    unit_costs = np.concatenate(
        [costs, np.zeros(submissions + reviewers, dtype=np.int64)]
    )

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, unit_costs
    )
    solver.set_node_supply(source, int(instance.need.sum()))
    solver.set_node_supply(sink, -int(instance.free.sum()))
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return solver.flows(np.arange(arc_count, dtype=np.int32)) > 0

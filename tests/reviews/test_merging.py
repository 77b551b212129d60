"""Solution merging and the LP at a floor that feeds it (no database).

``merge_total`` gives fair mode its total back: whatever its pool, it must
never break a count or a load, never fall below the floor it started with and
never return less total than its start.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance
from reviews.assignment.merging import merge_total
from reviews.assignment.relax import Relaxation
from reviews.assignment.solver import solve_weighted, submission_scores

SEED = 1  # a max-min start 1.56 below the best total at its floor
TOLERANCE = 1e-6  # integer cost rounding in solve_weighted, HiGHS tolerances


@st.composite
def conferences(draw: st.DrawFn) -> Instance:
    """Seeded random conferences: bimodal scores, uneven loads, a few existing
    pairs, sometimes not every slot fillable."""
    rng = np.random.default_rng(draw(st.integers(0, 100_000)))
    submissions, reviewers = draw(st.integers(3, 30)), draw(st.integers(2, 20))
    per = min(reviewers, draw(st.integers(2, 8)))
    submission_ids = np.repeat(np.arange(submissions), per)
    reviewer_ids = np.concatenate(
        [rng.choice(reviewers, per, replace=False) for _ in range(submissions)]
    )
    scores = np.where(rng.random(submission_ids.size) < 0.25, 0.9, 0.15)
    scores = np.round(scores * rng.uniform(0.5, 1.0, submission_ids.size), 3)
    existing = None
    if draw(st.booleans()):
        existing = [(0, int(reviewer_ids[0]))]
    return Instance.build(
        submissions,
        reviewers,
        (submission_ids, reviewer_ids, scores),
        per_submission=draw(st.integers(1, 3)),
        max_load=rng.integers(0, 6, reviewers),
        existing=existing,
    )


def _start(instance: Instance, seed: int) -> np.ndarray:
    """A feasible, usually poor, assignment: a flow with random paper weights."""
    weights = np.random.default_rng(seed).uniform(0.0, 3.0, instance.submission_count)
    return solve_weighted(instance, submission_weight=weights)


def _active_min(instance: Instance, used: np.ndarray) -> float:
    count = np.bincount(
        instance.arc_submission[used], minlength=instance.submission_count
    )
    return float(submission_scores(instance, used)[count > 0].min())


@settings(max_examples=60, deadline=None)
@given(conferences(), st.integers(0, 1000), st.booleans())
def test_merging_keeps_counts_loads_and_the_floor_and_never_loses_total(
    instance, seed, with_plain
):
    if not instance.arc_submission.size:
        return
    start = _start(instance, seed)
    if not start.any():
        return
    pool = [solve_weighted(instance)] if with_plain else []

    merged = merge_total(instance, start, pool, deadline=time.perf_counter() + 30)

    assert merged.shape == start.shape
    assert merged.dtype == bool
    count = np.bincount(
        instance.arc_submission[start], minlength=instance.submission_count
    )
    assert (
        np.bincount(
            instance.arc_submission[merged], minlength=instance.submission_count
        )
        == count
    ).all()
    loads = np.bincount(
        instance.arc_reviewer[merged], minlength=instance.reviewer_count
    )
    assert (loads <= instance.free).all()
    assert _active_min(instance, merged) >= _active_min(instance, start) - 1e-9
    total = submission_scores(instance, merged).sum()
    assert total >= submission_scores(instance, start).sum() - 1e-9


@settings(max_examples=40, deadline=None)
@given(conferences(), st.integers(0, 1000))
def test_floor_multipliers_price_the_lp_optimum(instance, seed):
    # Dualising the floor rows leaves a flow problem; with the LP's multipliers
    # lambda its best value, sum((1 + lambda) * score) - sum(lambda * (floor -
    # base)), is the LP's optimum (strong duality). A sign slip breaks this.
    plain = solve_weighted(instance)
    if int(plain.sum()) < int(instance.need.sum()) or not plain.any():
        return  # the flow below fills every slot only when all are fillable
    with_slots = instance.per_submission > 0
    start = _start(instance, seed)
    floor = float(submission_scores(instance, start)[with_slots].min())

    lp = Relaxation(instance, int(plain.sum())).max_total(start, floor)

    assert lp.exact
    assert (lp.floor_duals >= 0).all()
    assert lp.value >= submission_scores(instance, start).sum() - TOLERANCE
    weight = 1.0 + lp.floor_duals
    flow = solve_weighted(instance, submission_weight=weight)
    score = instance.arc_score
    lagrangian = (
        instance.base_score.sum()
        + (weight[instance.arc_submission] * score)[flow].sum()
        - (lp.floor_duals * (floor - instance.base_score))[with_slots].sum()
    )
    assert lagrangian == pytest.approx(lp.value, abs=1e-5 * max(1.0, lp.value))


def test_the_lp_pool_alone_reaches_the_best_total_at_the_floor():
    # Few candidates per paper: the reduced-cost kernel holds all of them, so
    # merging with no pool of the caller's solves the exact problem.
    from reviews.assignment.floor import raise_floor

    rng = np.random.default_rng(SEED)
    submissions, reviewers = 10, 6
    pairs = [
        (p, r)
        for p in range(submissions)
        for r in range(reviewers)
        if rng.random() < 0.8
    ]
    instance = Instance.build(
        submissions,
        reviewers,
        ([p for p, _ in pairs], [r for _, r in pairs], rng.uniform(0, 1, len(pairs))),
        per_submission=2,
        max_load=4,
    )
    plain = solve_weighted(instance)
    # A max-min assignment: lifting the minimum gave up total.
    start = raise_floor(instance, plain, deadline=time.perf_counter() + 60)
    assert start is not None
    count = np.bincount(instance.arc_submission[start], minlength=submissions)
    floor = _active_min(instance, start)
    everything = merge_total(
        instance, start, [np.ones_like(start)], deadline=time.perf_counter() + 60
    )

    merged = merge_total(instance, start, [], deadline=time.perf_counter() + 60)

    assert np.array_equal(
        np.bincount(instance.arc_submission[merged], minlength=submissions), count
    )
    assert _active_min(instance, merged) >= floor - 1e-9
    best = submission_scores(instance, everything).sum()
    assert best > submission_scores(instance, start).sum() + 0.05  # to give back
    assert submission_scores(instance, merged).sum() == pytest.approx(best)

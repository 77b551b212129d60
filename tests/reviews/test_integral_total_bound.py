"""The bench's integral joint bound (``bounds.integral_total_at_floor``), no
database: on instances small enough to enumerate, it is exactly the best total
of any assignment with every paper at the floor, and it says "impossible" when
no assignment reaches the floor."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance
from reviews.assignment.bounds import integral_total_at_floor


def _brute_force(instance: Instance, count: np.ndarray, floor: float) -> float | None:
    """The best total over every assignment with ``count`` reviewers a paper,
    within the loads and each paper with some at least ``floor``."""
    options = []
    for p in range(instance.submission_count):
        arcs = np.flatnonzero(instance.arc_submission == p)
        options.append(list(itertools.combinations(arcs.tolist(), int(count[p]))))
    best = None
    for choice in itertools.product(*options):
        used = np.zeros(instance.arc_submission.size, dtype=bool)
        for arcs in choice:
            used[list(arcs)] = True
        loads = np.bincount(
            instance.arc_reviewer[used], minlength=instance.reviewer_count
        )
        if (loads > instance.free).any():
            continue
        scores = instance.base_score + np.bincount(
            instance.arc_submission[used],
            weights=instance.arc_score[used],
            minlength=instance.submission_count,
        )
        if (scores[count > 0] < floor - 1e-9).any():
            continue
        total = float(scores.sum())
        best = total if best is None else max(best, total)
    return best


@st.composite
def tiny(draw: st.DrawFn) -> tuple[Instance, np.ndarray, float]:
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    submissions, reviewers = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    pairs = [(p, r) for p in range(submissions) for r in range(reviewers)]
    keep = [pair for pair in pairs if rng.random() < 0.8] or pairs[:1]
    scores = np.round(rng.uniform(0.0, 1.0, len(keep)), 2)
    instance = Instance.build(
        submissions,
        reviewers,
        ([p for p, _ in keep], [r for _, r in keep], scores),
        per_submission=draw(st.integers(1, 2)),
        max_load=rng.integers(1, 3, reviewers),
    )
    have = np.bincount(instance.arc_submission, minlength=submissions)
    count = np.minimum(have, instance.need)
    floor = draw(st.floats(0.0, 1.6))
    return instance, count, floor


@settings(max_examples=80, deadline=None)
@given(tiny())
def test_the_bound_is_the_enumerated_optimum(case):
    instance, count, floor = case
    expected = _brute_force(instance, count, floor)

    value, exact = integral_total_at_floor(instance, count, floor, time_limit=10)

    assert exact
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=1e-6)


def test_a_floor_only_fractional_experts_reach_is_refused():
    """One expert (load 1) for two papers: the LP splits it and reaches 0.5
    on both, no integral assignment gives both papers more than 0.1."""
    instance = Instance.build(
        2,
        2,
        ([0, 0, 1, 1], [0, 1, 0, 1], [1.0, 0.1, 1.0, 0.1]),
        per_submission=1,
        max_load=[1, 1],
    )
    count = np.array([1, 1])

    assert integral_total_at_floor(instance, count, 0.5, time_limit=10) == (None, True)
    value, exact = integral_total_at_floor(instance, count, 0.1, time_limit=10)
    assert exact
    assert value == pytest.approx(1.1)

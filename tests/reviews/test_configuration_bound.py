"""The integral bound at a floor for large instances (no database).

``reviews.assignment.lagrange`` bounds the best total of an integral
assignment with every paper at a floor. A bound below what some assignment
reaches would "prove" a reachable goal impossible, so every test here compares
it with brute force over every assignment of tiny instances.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance
from reviews.assignment.lagrange import (
    _best_set,
    configuration_bound,
    total_at_floor_bound,
)
from reviews.assignment.relax import Relaxation
from reviews.assignment.solver import solve_weighted

TOLERANCE = 1e-7


@st.composite
def tiny(draw: st.DrawFn) -> tuple[Instance, np.ndarray, float]:
    """A conference small enough to enumerate, its plain counts and a floor."""
    rng = np.random.default_rng(draw(st.integers(0, 100_000)))
    papers, reviewers = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    pairs = [(p, r) for p in range(papers) for r in range(reviewers)]
    keep = [pair for pair in pairs if rng.random() < 0.8] or pairs[:1]
    scores = np.round(rng.uniform(0, 1, len(keep)), 2)
    instance = Instance.build(
        papers,
        reviewers,
        ([p for p, _ in keep], [r for _, r in keep], scores),
        per_submission=draw(st.integers(1, 2)),
        max_load=rng.integers(1, 3, reviewers),
    )
    plain = solve_weighted(instance)
    count = np.bincount(instance.arc_submission[plain], minlength=papers)
    floor = draw(st.floats(0.0, 1.6))
    return instance, count, floor


def _brute_force(instance: Instance, count: np.ndarray, floor: float) -> float | None:
    """The best total over every assignment with these counts at the floor."""
    options = []
    for p in range(instance.submission_count):
        arcs = np.flatnonzero(instance.arc_submission == p)
        options.append(list(itertools.combinations(arcs.tolist(), int(count[p]))))
    best = None
    for choice in itertools.product(*options):
        arcs = np.array([a for chosen in choice for a in chosen], dtype=np.int64)
        loads = np.bincount(
            instance.arc_reviewer[arcs], minlength=instance.reviewer_count
        )
        if (loads > instance.free).any():
            continue
        scores = [instance.arc_score[list(chosen)].sum() for chosen in choice]
        if any(
            count[p] > 0 and scores[p] < floor - 1e-12
            for p in range(instance.submission_count)
        ):
            continue
        total = float(sum(scores))
        best = total if best is None else max(best, total)
    return best


@settings(max_examples=150, deadline=None)
@given(tiny(), st.integers(0, 1000), st.integers(0, 20))
def test_the_lagrangian_bound_is_never_below_an_assignment(problem, seed, steps):
    instance, count, floor = problem
    prices = np.random.default_rng(seed).uniform(0, 1, instance.reviewer_count)

    bound = total_at_floor_bound(
        instance, count, floor, prices, iterations=steps, target=0.0
    )
    exact = _brute_force(instance, count, floor)

    if bound is None:  # a paper alone cannot reach the floor
        assert exact is None
    elif exact is not None:
        assert bound >= exact - TOLERANCE


@settings(max_examples=150, deadline=None)
@given(tiny(), st.booleans())
def test_the_configuration_bound_lies_between_the_optimum_and_the_lp(
    problem, every_arc
):
    instance, count, floor = problem
    plain = solve_weighted(instance)
    # A start whose sets have other counts (every arc) gives no column.
    start = np.ones(plain.size, dtype=bool) if every_arc else plain

    bound, master = configuration_bound(instance, count, floor, start)
    exact = _brute_force(instance, count, floor)

    if bound is None:
        assert exact is None
        return
    if exact is None:
        return  # nothing to bound (the loads, not a single paper, rule it out)
    assert bound >= exact - TOLERANCE
    assert master <= bound + TOLERANCE
    if (count == instance.need).all() and int(plain.sum()):
        # The LP at the floor (every slot filled, so the same counts) is
        # weaker: fractional sets are allowed there.
        lp = Relaxation(instance, int(plain.sum())).max_total(
            np.ones(instance.arc_submission.size, dtype=bool), floor
        )
        assert bound <= lp.value + 1e-6


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100_000), st.integers(1, 4), st.integers(4, 11))
def test_a_papers_best_set_matches_enumeration(seed, size, candidates):
    rng = np.random.default_rng(seed)
    score = np.round(rng.uniform(0, 1, candidates), 2)
    value = score - np.round(rng.uniform(0, 1, candidates), 2)
    need = float(rng.uniform(0, size))

    found = _best_set(value, score, size, need)
    subsets = [
        s
        for s in itertools.combinations(range(candidates), size)
        if score[list(s)].sum() >= need - 1e-9
    ]

    if not subsets:
        assert found is None
        return
    assert found is not None
    gain, chosen = found
    assert gain == pytest.approx(max(value[list(s)].sum() for s in subsets))
    assert chosen.size == size
    assert score[chosen].sum() >= need - 1e-9
    assert value[chosen].sum() == pytest.approx(gain)


def test_the_bound_sees_what_the_lp_misses():
    """Two papers, one slot each, floor 0.6; reviewer A (load 1) scores 1.0
    on both, B 0.2 on both. The LP splits A in halves (each paper 0.6, total
    1.2); no integral assignment reaches 0.6 on both: one paper gets B."""
    instance = Instance.build(
        2,
        2,
        ([0, 0, 1, 1], [0, 1, 0, 1], [1.0, 0.2, 1.0, 0.2]),
        per_submission=1,
        max_load=1,
    )
    count = np.array([1, 1])
    lp = Relaxation(instance, 2).max_total(np.ones(4, dtype=bool), 0.6)

    bound, _ = configuration_bound(instance, count, 0.6, np.zeros(4, dtype=bool))

    assert lp.value == pytest.approx(1.2)
    assert _brute_force(instance, count, 0.6) is None
    assert bound is not None
    assert bound < 0.0  # only the artificial "no set" columns: a loss

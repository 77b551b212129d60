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
from reviews.assignment.branching import configuration_bound
from reviews.assignment.lagrange import _best_set, total_at_floor_bound
from reviews.assignment.relax import Relaxation
from reviews.assignment.solver import solve_weighted, submission_scores

# Tiny conferences and every assignment of them, shared with the HiGHS bound's
# tests.
from .test_integral_total_bound import _brute_force, tiny

TOLERANCE = 1e-7


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

    bound, master, _ = configuration_bound(instance, count, floor, start)
    exact = _brute_force(instance, count, floor)

    if bound is None:
        assert exact is None
        return
    if exact is None:
        return  # nothing to bound (the loads, not a single paper, rule it out)
    assert bound >= exact - TOLERANCE
    assert master <= bound + TOLERANCE
    if (count == instance.need).all() and int(plain.sum()) == int(count.sum()):
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

    bound, _, _ = configuration_bound(instance, count, 0.6, np.zeros(4, dtype=bool))

    assert lp.value == pytest.approx(1.2)
    assert _brute_force(instance, count, 0.6) is None
    assert bound is not None
    assert bound < 0.0  # only the artificial "no set" columns: a loss


@settings(max_examples=150, deadline=None)
@given(tiny(), st.booleans())
def test_price_and_branch_finds_only_feasible_assignments(problem, from_plain):
    """What it returns gives each paper its count, each at the floor, within
    the loads, and no more total than the best assignment; started from the
    plain optimum where that reaches the floor, it is that optimum."""
    instance, count, floor = problem
    plain = solve_weighted(instance)
    start = plain if from_plain else np.zeros(plain.size, dtype=bool)

    bound, _, found = configuration_bound(instance, count, floor, start, mip_seconds=60)
    exact = _brute_force(instance, count, floor)

    if found is None:
        plain_scores = submission_scores(instance, plain)
        plain_counts = np.bincount(
            instance.arc_submission[plain], minlength=instance.submission_count
        )
        assert not (
            from_plain
            and (plain_counts == count).all()
            and (plain_scores[count > 0] >= floor - 1e-9).all()
        )
        return
    assert exact is not None
    assert bound is not None
    scores = submission_scores(instance, found)
    counts = np.bincount(
        instance.arc_submission[found], minlength=instance.submission_count
    )
    loads = np.bincount(instance.arc_reviewer[found], minlength=instance.reviewer_count)
    assert (counts == count).all()
    assert (loads <= instance.free).all()
    assert (scores[count > 0] >= floor - 1e-9).all()
    assert exact - TOLERANCE <= bound + TOLERANCE
    assert float(scores.sum()) <= exact + TOLERANCE
    if (
        from_plain
        and (
            np.bincount(instance.arc_submission[plain], minlength=count.size) == count
        ).all()
    ):
        plain_scores = submission_scores(instance, plain)
        if (plain_scores[count > 0] >= floor - 1e-9).all():
            assert float(scores.sum()) == pytest.approx(float(plain_scores.sum()))


def test_price_and_branch_gives_the_only_expert_to_the_paper_that_needs_them():
    """Three papers, one slot each, floor 0.5; A (load 1) scores 0.9 on each,
    B and C (load 1 each) 0.5 on the first two and 0.4 on the third, which
    only A brings to the floor: A must go to the third paper, B and C to the
    others (total 1.9). Started from nothing: every set is generated."""
    pairs = ([0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 2, 0, 1, 2, 0, 1, 2])
    scores = [0.9, 0.5, 0.5, 0.9, 0.5, 0.5, 0.9, 0.4, 0.4]
    instance = Instance.build(3, 3, (*pairs, scores), per_submission=1, max_load=1)
    count = np.array([1, 1, 1])

    _, _, found = configuration_bound(
        instance, count, 0.5, np.zeros(9, dtype=bool), mip_seconds=60
    )

    assert found is not None
    chosen = sorted(
        zip(
            instance.arc_submission[found].tolist(),
            instance.arc_reviewer[found].tolist(),
            strict=True,
        )
    )
    assert chosen[2] == (2, 0)
    assert float(submission_scores(instance, found).sum()) == pytest.approx(1.9)

"""Fair mode keeps the chair's minimum loads and works in any score unit
(:mod:`reviews.assignment.min_loads`, :mod:`reviews.assignment.unit_scale`).

No database: the solver alone, on random conferences of the shapes where a
fuzz of ``assign(fair=True)`` found fair mode giving up pairs toward minimum
loads (18 of 60) and hanging on scores of order 1e-12."""

from __future__ import annotations

import dataclasses
import math
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance, assign, min_loads
from reviews.assignment.lift import lowest_score
from reviews.assignment.min_loads import _Mover, keep_min_loads, min_load_pairs
from reviews.assignment.restore import _solve_outside
from reviews.assignment.solver import solve_weighted, submission_scores
from reviews.assignment.unit_scale import unit

TOLERANCE = 1e-6


def conference(seed: int) -> dict:
    """Up to 60 papers and 40 reviewers, sparse random candidates, k of 1-3,
    loads of 1-5, a minimum load of 1 or 2 and a few conflicts."""
    rng = np.random.default_rng(seed)
    papers, reviewers = int(rng.integers(5, 60)), int(rng.integers(3, 40))
    listed = rng.random((papers, reviewers)) < rng.uniform(0.1, 0.8)
    p, r = np.nonzero(listed)
    conflicts = rng.choice(p.size, size=min(3, p.size), replace=False)
    return {
        "submission_count": papers,
        "reviewer_count": reviewers,
        "candidates": (p, r, rng.random(p.size)),
        "per_submission": int(rng.integers(1, 4)),
        "max_load": rng.integers(1, 6, reviewers),
        "min_load": int(rng.integers(1, 3)),
        "conflicts": np.column_stack([p[conflicts], r[conflicts]]),
    }


def toward_minimums(problem: dict, result) -> int:  # type: ignore[no-untyped-def]
    """Pairs toward the open minimum loads (existing pairs count toward them)."""
    want = np.minimum(problem["min_load"], problem["max_load"])
    if problem.get("existing") is not None:
        kept = np.bincount(problem["existing"][:, 1], minlength=want.size)
        want = np.maximum(want - kept, 0)
    got = np.bincount(result.reviewers[result.is_new], minlength=want.size)
    return int(np.minimum(got, want).sum())


# Seeds 27, 28, 31, 37, 38 lost 2-9 pairs toward the minimum loads before the
# repair (31: 62 of them down to 53, at the plain minimum); 1-3 lost none.
@pytest.mark.parametrize("seed", [1, 2, 3, 27, 28, 31, 37, 38])
def test_fair_mode_keeps_the_plain_optimums_pairs_toward_minimum_loads(seed):
    problem = conference(seed)
    plain = assign(**problem)
    fair = assign(**problem, fair=True, lp_bound=True)

    assert fair.filled_slots == plain.filled_slots
    assert toward_minimums(problem, fair) == toward_minimums(problem, plain)
    got = np.bincount(fair.reviewers, minlength=problem["reviewer_count"])
    assert (got <= problem["max_load"]).all()
    pairs = set(zip(fair.submissions.tolist(), fair.reviewers.tolist(), strict=True))
    assert not pairs & set(map(tuple, problem["conflicts"].tolist()))
    assert fair.min_submission_score >= plain.min_submission_score - TOLERANCE
    # The LP bound keeps the minimum loads too: now it bounds fair mode.
    assert fair.min_submission_score <= fair.stats["lp_bound"] + TOLERANCE
    # Who is short may differ, not by how much in all; the report names them,
    # and its reason ("the number of pairs ... is maximal") is now true.
    want = np.minimum(problem["min_load"], problem["max_load"])
    assert set(fair.below_min_load) == set(np.flatnonzero(got < want).tolist())


def test_the_repair_raises_the_minimum_where_it_can_and_keeps_every_rule():
    # Two papers, k = 1. Alice (min load 1) is weak on both; Bob is strong on
    # both. A fair result that gives Bob both papers breaks Alice's minimum.
    instance = Instance.build(
        2,
        2,
        ([0, 0, 1, 1], [0, 1, 0, 1], [0.2, 0.9, 0.5, 0.8]),
        per_submission=1,
        max_load=2,
        min_load=[1, 0],
    )
    plain = solve_weighted(instance)
    both_to_bob = instance.arc_reviewer == 1
    rank = np.zeros(instance.arc_submission.size, dtype=np.int64)

    repaired = keep_min_loads(instance, both_to_bob, plain, rank, deadline=1e18)

    assert min_load_pairs(instance, both_to_bob) == 0
    assert min_load_pairs(instance, repaired) == 1
    # Alice takes paper 1 (0.5), Bob paper 0 (0.9): the best minimum with her.
    assert sorted(
        zip(
            instance.arc_submission[repaired].tolist(),
            instance.arc_reviewer[repaired].tolist(),
            strict=True,
        )
    ) == [(0, 1), (1, 0)]
    # A result that already keeps them is returned as it is.
    assert keep_min_loads(instance, repaired, plain, rank, deadline=1e18) is repaired


def test_without_a_path_at_the_floor_nor_time_for_the_milps_it_is_plain():
    instance = Instance.build(
        2, 2, ([0, 0, 1, 1], [0, 1, 0, 1], [0.2, 0.9, 0.5, 0.8]),
        per_submission=1, max_load=2, min_load=[1, 0],
    )  # fmt: skip
    plain = solve_weighted(instance)
    both_to_bob = instance.arc_reviewer == 1
    rank = np.zeros(instance.arc_submission.size, dtype=np.int64)

    assert keep_min_loads(instance, both_to_bob, plain, rank, deadline=0.0) is plain


def solve_within(seconds: float, **problem) -> object:  # type: ignore[no-untyped-def]
    """assign(fair=True), failing (not hanging) if it runs past ``seconds``."""
    out: list[object] = []
    worker = threading.Thread(
        target=lambda: out.append(assign(**problem, fair=True)), daemon=True
    )
    worker.start()
    worker.join(seconds)
    assert out, f"fair mode still running after {seconds} s"
    return out[0]


@pytest.mark.parametrize("power", [-40, -20, 10, 30])
def test_fair_mode_gives_the_same_pairs_in_any_score_unit(power):
    # Scarce loads, k = 5: at 2**-40 fair mode never returned before.
    rng = np.random.default_rng(0)
    papers, reviewers = 21, 24
    listed = rng.random((papers, reviewers)) < 0.7
    p, r = np.nonzero(listed)
    scores = rng.random(p.size)
    scores[0] = 1.0  # the largest is 1: scaled by 2**power, exactly
    problem = {
        "submission_count": papers,
        "reviewer_count": reviewers,
        "per_submission": 5,
        "max_load": rng.integers(0, 6, reviewers),
        "min_load": 1,
    }
    reference = assign(**problem, candidates=(p, r, scores), fair=True)

    scaled = solve_within(120, **problem, candidates=(p, r, scores * 2.0**power))

    assert scaled.pairs == [  # type: ignore[attr-defined]
        (paper, reviewer, score * 2.0**power)
        for paper, reviewer, score in reference.pairs
    ]
    assert scaled.min_submission_score == (  # type: ignore[attr-defined]
        reference.min_submission_score * 2.0**power
    )
    assert scaled.stats["plain_min"] == reference.stats["plain_min"] * 2.0**power  # type: ignore[attr-defined]


def test_the_unit_is_one_for_scores_of_order_one_and_a_power_of_two_otherwise():
    def unit_of(scores: list[float]) -> float:
        return unit(
            Instance.build(
                1,
                len(scores),
                ([0] * len(scores), range(len(scores)), scores),
                max_load=1,
            )
        )

    assert unit_of([0.0, 0.0]) == 1.0
    assert unit_of([0.07, 0.5]) == 1.0
    assert unit_of([-12.0, 3.0]) == 1.0
    assert unit_of([3e-12, 1e-12]) == 2.0**-38
    assert unit_of([5e8]) == 2.0**29


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([-np.inf, "lowest"]))
def test_paths_give_back_pairs_toward_minimum_loads_above_the_floor(seed, floor):
    # A max-flow assignment that ignores the minimum loads, repaired by paths.
    problem = conference(seed)
    problem["conflicts"] = None
    instance = Instance.build(**problem)
    ignoring = solve_weighted(
        dataclasses.replace(instance, want=np.zeros_like(instance.want))
    )
    before = submission_scores(instance, ignoring)
    with_slots = instance.per_submission > 0
    lowest = lowest_score(before, with_slots)
    floor = lowest if floor == "lowest" else floor

    moved = _Mover(instance, ignoring, floor).run(deadline=math.inf)

    plain = solve_weighted(instance)
    after = submission_scores(instance, moved)
    assert moved.sum() == ignoring.sum()  # the filled count
    per_paper = np.bincount(instance.arc_submission[moved], minlength=after.size)
    assert (
        per_paper
        == np.bincount(instance.arc_submission[ignoring], minlength=after.size)
    ).all()
    got = np.bincount(instance.arc_reviewer[moved], minlength=instance.reviewer_count)
    assert (got <= instance.free).all()
    assert min_load_pairs(instance, moved) >= min_load_pairs(instance, ignoring)
    if floor == -np.inf:  # unconstrained, the paths find every pair plain has
        assert min_load_pairs(instance, moved) == min_load_pairs(instance, plain)
    else:  # no paper below the floor, and a paper that moved stays above it
        assert lowest_score(after, with_slots) >= lowest - TOLERANCE


def test_the_bench_row_shows_the_pairs_the_phases_lost_and_the_repair_gave_back(
    bench_script,
):
    bench = bench_script("fair_min_loads")

    row = bench.run_child("small", 1, 2, 20.0)

    assert row["filled_equal"]
    assert row["loads_kept"]
    assert row["phases_pairs"] < row["plain_pairs"] == row["fair_pairs"] == 200
    assert row["plain_min_ratio"] <= row["min_ratio"] <= 1.0
    assert 0.99 <= row["total_ratio"] <= 1.0


@st.composite
def odd_conferences(draw: st.DrawFn) -> dict:
    """Shapes nobody tuned for: scores of any sign or unit, ties, per-paper k
    and per-reviewer loads and minimums (zeros included), existing pairs and
    conflicts."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    papers, reviewers = draw(st.integers(1, 30)), draw(st.integers(1, 20))
    p, r = np.nonzero(rng.random((papers, reviewers)) < draw(st.floats(0.05, 1.0)))
    scores = draw(
        st.sampled_from(
            [
                lambda n: rng.random(n),
                lambda n: rng.normal(size=n),
                lambda n: np.round(rng.random(n) * 4) / 4,
                lambda n: rng.exponential(size=n) * 100,
                lambda n: rng.random(n) * 1e-12,
            ]
        )
    )(p.size)
    fixed = rng.random(p.size) < draw(st.floats(0.0, 0.3))
    banned = ~fixed & (rng.random(p.size) < 0.1)
    return {
        "submission_count": papers,
        "reviewer_count": reviewers,
        "candidates": (p, r, scores),
        "per_submission": rng.integers(0, 5, papers),
        "max_load": rng.integers(0, 6, reviewers),
        "min_load": rng.integers(0, 4, reviewers),
        "existing": np.column_stack([p[fixed], r[fixed]]),
        "conflicts": np.column_stack([p[banned], r[banned]]),
    }


@settings(max_examples=40, deadline=None)
@given(odd_conferences())
def test_fair_mode_keeps_every_guarantee_on_odd_shapes(problem):
    plain = assign(**problem)
    fair = assign(**problem, fair=True, lp_bound=True)

    scale = max(1.0, float(np.abs(problem["candidates"][2]).max(initial=0.0)))
    assert fair.filled_slots == plain.filled_slots
    assert toward_minimums(problem, fair) == toward_minimums(problem, plain)
    pairs = set(zip(fair.submissions.tolist(), fair.reviewers.tolist(), strict=True))
    assert set(map(tuple, problem["existing"].tolist())) <= pairs
    assert not pairs & set(map(tuple, problem["conflicts"].tolist()))
    existing = np.bincount(
        problem["existing"][:, 1], minlength=problem["reviewer_count"]
    )
    got = np.bincount(fair.reviewers, minlength=problem["reviewer_count"])
    assert (got <= np.maximum(problem["max_load"], existing)).all()
    if problem["per_submission"].any():
        assert fair.min_submission_score >= plain.min_submission_score - 1e-6 * scale
        if "lp_bound" in fair.stats:
            assert fair.min_submission_score <= fair.stats["lp_bound"] + 1e-6 * scale


def test_phase_two_counts_protected_pairs_toward_the_minimum_loads():
    # Alice (minimum 1) already reviews the protected paper 0: paper 1 should
    # get Bob (0.9), not Alice (0.1) for a minimum she has already reached.
    instance = Instance.build(
        2, 2, ([0, 1, 1], [0, 0, 1], [0.5, 0.1, 0.9]),
        per_submission=1, max_load=2, min_load=[1, 0],
    )  # fmt: skip
    lifted = (instance.arc_submission == 0) | (instance.arc_reviewer == 0)

    used = _solve_outside(instance, lifted, np.array([True, False]))

    pairs = zip(instance.arc_submission[used], instance.arc_reviewer[used], strict=True)
    assert sorted((int(p), int(r)) for p, r in pairs) == [(0, 0), (1, 1)]


def test_the_paths_stop_at_their_deadline_and_change_nothing():
    problem = conference(31)  # lost 9 pairs toward the minimum loads before
    problem["conflicts"] = None
    instance = Instance.build(**problem)
    ignoring = solve_weighted(
        dataclasses.replace(instance, want=np.zeros_like(instance.want))
    )
    assert min_load_pairs(instance, ignoring) < min_load_pairs(
        instance, solve_weighted(instance)
    )
    mover = _Mover(instance, ignoring, -np.inf)

    assert mover._path(int(np.argmax(mover.got < instance.want)), 0.0) is None
    assert (mover.run(deadline=0.0) == ignoring).all()


@pytest.mark.parametrize("seed", [9, 19, 27])
def test_the_paths_run_even_when_fair_mode_left_them_no_time(seed, monkeypatch):
    # At 15,000 x 15,000 fair mode's last phase ended 2.4 s past the repair's
    # deadline; without the paths the answer was the plain optimum (no
    # fairness at all). On these seeds the paths alone beat the plain optimum.
    monkeypatch.setattr(min_loads, "EXACT_ARCS", -1)  # the paths alone
    problem = conference(seed)
    problem["conflicts"] = None
    instance = Instance.build(**problem)
    ignoring = solve_weighted(
        dataclasses.replace(instance, want=np.zeros_like(instance.want))
    )
    plain = solve_weighted(instance)
    rank = np.zeros(instance.arc_submission.size, dtype=np.int64)

    in_time = keep_min_loads(instance, ignoring, plain, rank, deadline=math.inf)
    late = keep_min_loads(instance, ignoring, plain, rank, deadline=0.0)

    assert in_time is not plain
    assert (late == in_time).all()
    assert min_load_pairs(instance, late) == min_load_pairs(instance, plain)

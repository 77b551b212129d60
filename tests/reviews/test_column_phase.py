"""Fair mode's column phase: price and branch at its target floor (no database).

``reviews.assignment.branching.raise_by_columns`` picks one generated reviewer
set per paper with HiGHS. It is a heuristic, so these tests check what it
must never do: break a count, a load or the floor, claim more total than the
best assignment (brute force on tiny conferences), or do worse than a start
that already reaches the floor. Fair mode runs it only above
``SUPPORT_ALL_ARCS`` arcs; here that threshold is lowered so small
conferences go through it too.
"""

from __future__ import annotations

import itertools
import time

import highspy
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance, branching, fair, relax
from reviews.assignment.bounds import integral_total_at_floor
from reviews.assignment.branching import _higher_total, _repair, raise_by_columns
from reviews.assignment.columns import generate
from reviews.assignment.lagrange import top_sets
from reviews.assignment.solver import solve_weighted, submission_scores

from .test_integral_total_bound import _brute_force, tiny
from .test_merging import _active_min, conferences

TOLERANCE = 1e-7


def _counts(instance: Instance, used: np.ndarray) -> np.ndarray:
    return np.bincount(
        instance.arc_submission[used], minlength=instance.submission_count
    )


@settings(max_examples=150, deadline=None)
@given(tiny(), st.one_of(st.none(), st.integers(0, 1000)))
def test_the_column_phase_keeps_counts_loads_and_floor(problem, seed):
    """From zero prices, or (smoothed) from random first prices."""
    instance, _, floor = problem
    plain = solve_weighted(instance)
    count = _counts(instance, plain)
    start_reaches = bool(
        (submission_scores(instance, plain)[count > 0] >= floor - 1e-9).all()
    )
    prices = (
        None
        if seed is None
        else np.random.default_rng(seed).uniform(0, 1, instance.reviewer_count)
    )

    found = raise_by_columns(instance, plain, floor, time.perf_counter() + 30, prices)

    if found is None:
        assert not start_reaches
        return
    scores = _valid_up_to_the_best(instance, found, count, floor)
    if start_reaches:
        assert float(scores.sum()) >= submission_scores(instance, plain).sum() - 1e-9


@settings(max_examples=100, deadline=None)
@given(tiny())
def test_merging_on_the_other_core_stands_in_when_price_and_branch_finds_nothing(
    problem,
):
    """Price and branch replaced by a stand-in that finds nothing (as when
    its repair leaves a paper without a set): the merge of the start with
    the LP's support still gives an assignment, at the floor, at the counts,
    within the loads, with at least the start's total (the start is among
    its arcs) and at most the best assignment's (brute force)."""
    instance, _, floor = problem
    plain = solve_weighted(instance)
    count = _counts(instance, plain)
    scores = submission_scores(instance, plain)
    assume((scores[count > 0] >= floor).all() and count.any())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(branching, "best_integral", lambda master, seconds: None)
        found = raise_by_columns(instance, plain, floor, time.perf_counter() + 30)

    assert found is not None
    found_scores = _valid_up_to_the_best(instance, found, count, floor)
    assert found_scores.sum() >= scores.sum() - 1e-9


def _valid_up_to_the_best(
    instance: Instance, found: np.ndarray, count: np.ndarray, floor: float
) -> np.ndarray:
    """Asserts ``found`` keeps the counts, the loads and the floor, with at
    most the best such assignment's total (brute force); its scores."""
    exact = _brute_force(instance, count, floor)
    assert exact is not None
    scores = submission_scores(instance, found)
    assert (_counts(instance, found) == count).all()
    loads = np.bincount(instance.arc_reviewer[found], minlength=instance.reviewer_count)
    assert (loads <= instance.free).all()
    assert (scores[count > 0] >= floor - 1e-9).all()
    assert float(scores.sum()) <= exact + TOLERANCE
    return scores


def test_the_column_phase_keeps_the_higher_total_of_those_at_the_floor():
    """Two papers, one slot each, floor 0.5: of price and branch's and the
    merge's assignments, the one with more total among those that keep every
    paper with reviewers at the floor (a paper left with nobody is under it)."""
    pairs = ([0, 0, 1, 1], [0, 1, 0, 1])
    instance = Instance.build(
        2, 2, (*pairs, [0.9, 0.6, 0.7, 0.45]), per_submission=1, max_load=1
    )
    count = np.array([1, 1])
    low = np.array([False, True, True, False])  # 0.6 + 0.7
    high = np.array([True, False, False, True])  # 0.9 + 0.45: paper 1 under
    short = np.array([False, True, False, False])  # paper 1 has nobody

    assert _higher_total(instance, count, 0.5, low, None).tolist() == low.tolist()
    assert _higher_total(instance, count, 0.3, low, high).tolist() == high.tolist()
    assert _higher_total(instance, count, 0.5, high, low).tolist() == low.tolist()
    assert _higher_total(instance, count, 0.5, short, high) is None
    assert _higher_total(instance, count, 0.5, None, None) is None


def test_the_column_phase_gives_the_only_expert_to_the_paper_that_needs_them():
    """Three papers, one slot each, floor 0.5: A (load 1) scores 0.9 on each,
    B and C 0.5 on the first two and 0.4 on the third, which only A brings to
    the floor. Started from A on the first paper (the third below the floor),
    it must move A to the third."""
    pairs = ([0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 2, 0, 1, 2, 0, 1, 2])
    scores = [0.9, 0.5, 0.5, 0.9, 0.5, 0.5, 0.9, 0.4, 0.4]
    instance = Instance.build(3, 3, (*pairs, scores), per_submission=1, max_load=1)
    start = np.zeros(9, dtype=bool)
    start[[0, 4, 8]] = True  # paper p with reviewer p

    found = raise_by_columns(instance, start, 0.5, time.perf_counter() + 30)

    assert found is not None
    assert found[6]  # the third paper with A
    assert float(submission_scores(instance, found).sum()) == pytest.approx(1.9)


def test_the_column_phase_gives_up_on_a_floor_no_paper_set_reaches():
    instance = Instance.build(
        2, 2, ([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.2, 0.3, 0.2]), max_load=1
    )
    plain = solve_weighted(instance)

    assert raise_by_columns(instance, plain, 0.9, time.perf_counter() + 30) is None


@settings(max_examples=40, deadline=None)
@given(conferences())
def test_fair_mode_through_the_column_phase_keeps_its_guarantees(instance):
    """With the column phase on every instance: the plain optimum's filled
    count and minimum kept; where every slot is filled, the target reached
    wherever an assignment reaches it (HiGHS on every arc decides), and never
    more total than the best at fair mode's own minimum."""
    assume(instance.arc_submission.size)
    plain = solve_weighted(instance)
    count = _counts(instance, plain)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fair, "SUPPORT_ALL_ARCS", 0)
        used, stats = fair.solve_fair(instance)

    assert int(used.sum()) == int(plain.sum())
    assert "columns_used" in stats or "lp_bound" not in stats
    if "column_prices" in stats:  # the LP's duals at the floor came first
        assert stats["column_prices"] == 1.0
    fair_min = _active_min(instance, used)
    assert fair_min >= stats["plain_min"] - 1e-6
    # Every slot filled (as in test_fair_target): each paper's count is then
    # the same in every assignment fair mode may return.
    filled = int(plain.sum()) == int(instance.need.sum())
    if (
        "lp_bound" in stats
        and filled
        and (count[instance.per_submission > 0] > 0).all()
    ):
        target = max(fair.FLOOR_SHARE * stats["lp_bound"], stats["plain_min"])
        reachable, exact = integral_total_at_floor(
            instance, count, target, time_limit=30
        )
        assert exact
        if reachable is not None:
            assert fair_min >= target - 1e-6
        best, _ = integral_total_at_floor(
            instance, count, fair_min - 1e-7, time_limit=30
        )
        assert best is not None
        assert submission_scores(instance, used).sum() <= best + 1e-6


def test_the_column_phase_gives_its_time_back_when_it_has_none():
    """Past its deadline, it stops before its LP converges and returns
    nothing, so fair mode's next phase gets the time."""
    pairs = ([0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 2, 0, 1, 2, 0, 1, 2])
    scores = [0.9, 0.5, 0.5, 0.9, 0.5, 0.5, 0.9, 0.4, 0.4]
    instance = Instance.build(3, 3, (*pairs, scores), per_submission=1, max_load=1)
    start = np.zeros(9, dtype=bool)
    start[[0, 4, 8]] = True

    assert raise_by_columns(instance, start, 0.5, time.perf_counter() - 1) is None
    assert raise_by_columns(instance, start, 0.5, time.perf_counter() + 30) is not None


def test_fix_and_repair_frees_a_whole_column_in_the_way():
    """Papers 0 and 1, one slot each, floor 0.5, every reviewer load 1.
    Paper 0 reaches the floor with reviewer 0 (0.9) or 1 (0.6); paper 1 only
    with reviewer 0 (0.8; reviewer 2 gives 0.3). With paper 0's set {0}
    fixed (as if the LP took it whole), paper 1 has no set: the repair must
    free it, and every paper gets a set: 0 with 1, 1 with 0."""
    pairs = ([0, 0, 1, 1], [0, 1, 0, 2])
    instance = Instance.build(
        2, 3, (*pairs, [0.9, 0.6, 0.8, 0.3]), per_submission=1, max_load=1
    )
    start = np.zeros(4, dtype=bool)
    master, _ = generate(
        instance, np.array([1, 1]), 0.5, start, None, rounds=0, deadline=None
    )
    master.add([(0, np.array([0])), (0, np.array([1])), (1, np.array([2]))])
    assert instance.arc_reviewer.tolist() == [0, 1, 0, 2]  # arcs as listed
    master.highs.setOptionValue("solver", "choose")
    master.highs.changeColsIntegrality(
        5, np.arange(5, dtype=np.int32), np.full(5, highspy.HighsVarType.kInteger)
    )
    master._primal = np.array([0.0, 0.0, 1.0, 0.0, 0.0])  # paper 0's {0} whole

    repaired = _repair(master, None, time.perf_counter() + 30)

    assert repaired is not None
    chosen = {master.columns[j][0]: master.columns[j][1].tolist() for j in repaired}
    assert chosen == {0: [1], 1: [2]}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10_000), st.integers(1, 20), st.integers(1, 3), st.integers(1, 30)
)
def test_top_sets_are_the_best_reaching_sets_in_order(seed, items, size, many):
    """Against every subset, where the items fit in TOP_ITEMS: sets of the
    size, distinct, each reaching the need, best value first, and none
    better left out."""
    rng = np.random.default_rng(seed)
    value, score = rng.normal(size=items), rng.uniform(0, 1, items)
    need = float(rng.uniform(0, size))

    sets = top_sets(value, score, size, need, many)

    reaching = sorted(
        (
            float(value[list(chosen)].sum())
            for chosen in itertools.combinations(range(items), size)
            if score[list(chosen)].sum() >= need - 1e-9
        ),
        reverse=True,
    )
    keys = {tuple(sorted(chosen.tolist())) for chosen in sets}
    assert len(keys) == len(sets)
    assert all(chosen.size == size for chosen in sets)
    assert all(score[chosen].sum() >= need - 1e-9 for chosen in sets)
    gains = [float(value[chosen].sum()) for chosen in sets]
    assert gains == sorted(gains, reverse=True)
    if items <= 14:  # every item is drawn from: exactly the best reaching sets
        assert gains == pytest.approx(reaching[:many])
    else:
        assert len(sets) <= min(many, len(reaching))


def test_fair_mode_goes_on_from_zero_prices_when_the_first_prices_fail():
    """The LP's prices at the floor only warm-start the column phase: if
    computing them fails, fair mode still gives its assignment (and says the
    prices were missing)."""
    pairs = ([0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 2, 0, 1, 2, 0, 1, 2])
    scores = [0.9, 0.5, 0.5, 0.9, 0.5, 0.5, 0.9, 0.4, 0.4]
    instance = Instance.build(3, 3, (*pairs, scores), per_submission=1, max_load=1)

    def failing(instance, plain, bound, *, deadline, prices, start):
        relax.bound_then_prices(
            instance, plain, bound, deadline=deadline, prices=None, start=start
        )
        raise ValueError("the LP at the floor failed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fair, "SUPPORT_ALL_ARCS", 0)
        patch.setattr(fair, "bound_then_prices", failing)
        used, stats = fair.solve_fair(instance)

    assert stats["column_prices"] == 0.0
    assert int(used.sum()) == 3
    assert _active_min(instance, used) == pytest.approx(0.5)  # the third with A

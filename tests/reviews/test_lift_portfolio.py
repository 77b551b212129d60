"""Phase 1's portfolio of lifts on truncated candidate lists (no database).

Each run lifts on every paper's best few candidates and then on all of them;
fair mode keeps the best run and searches the union of every run's arcs in
phase 3. Whatever the instance, the best run must be a valid assignment of
the same counts within the loads, never below its start's minimum, and at
least as good as every run it was chosen from.
"""

from __future__ import annotations

import itertools
import time
import types

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviews.assignment import lift, restore
from reviews.assignment.arcs import rank_in_submission
from reviews.assignment.lift import EPS
from reviews.assignment.solver import Instance, submission_scores

from .test_merging import _active_min, _start, conferences


def _counts_and_loads(instance: Instance, used: np.ndarray) -> tuple:
    return (
        np.bincount(instance.arc_submission[used], minlength=instance.submission_count),
        np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count),
    )


@settings(max_examples=60, deadline=None)
@given(conferences())
def test_the_best_lift_keeps_counts_loads_and_the_start_minimum(instance):
    assume(instance.arc_submission.size)  # solve_fair stops before phase 1
    start = _start(instance, 7)
    best, optima = lift.lift_portfolio(
        instance, start, rank_in_submission(instance), deadline=None
    )

    counts, loads = _counts_and_loads(instance, best.used)
    start_counts, _ = _counts_and_loads(instance, start)
    np.testing.assert_array_equal(counts, start_counts)
    assert (loads <= instance.free).all()
    assert _active_min(instance, best.used) >= _active_min(instance, start) - EPS
    # The union holds the best run's arcs; its scores are the assignment's.
    assert not (best.used & ~optima).any()
    np.testing.assert_allclose(best.scores, submission_scores(instance, best.used))


@settings(max_examples=40, deadline=None)
@given(conferences())
def test_the_portfolio_keeps_its_best_run(instance):
    assume(instance.arc_submission.size)
    start = _start(instance, 3)
    best, optima = lift.lift_portfolio(
        instance, start, rank_in_submission(instance), deadline=None
    )
    rank = rank_in_submission(instance)
    for top in lift.LIFT_TOPS:
        run = lift.lift_truncated(instance, start, rank < top, None, None)
        # Every run's arcs are in the union phase 3 searches, and none beats
        # the kept one (the lift is deterministic).
        assert not (run.used & ~optima).any()
        assert not lift.lifted_better(run, best, None)


def test_a_truncated_lift_reaches_what_only_deep_candidates_allow():
    """Paper 0's only way up is its third-best candidate, outside a top-2
    truncation: the second pass over all arcs must still find it."""
    instance, start = _one_low_paper()  # reviewer 0 is the best for both
    rank = rank_in_submission(instance)

    lifted = lift.lift_truncated(instance, start, rank < 1, None, None)

    # Paper 0 takes reviewer 0 (0.9) and paper 1 moves to reviewer 1 (0.7),
    # or paper 0 takes reviewer 2 (0.5): either way the minimum is >= 0.5.
    assert lifted.minimum >= 0.5 - EPS


def _one_low_paper() -> tuple[Instance, np.ndarray]:
    """Two papers, one slot each, loads 1: paper 0 holds its worst reviewer
    (0.1) and reaches 0.5 only by a path (it takes reviewer 2, or reviewer 0
    while paper 1 moves to reviewer 1)."""
    candidates = ([0, 0, 0, 1, 1], [0, 1, 2, 0, 1], [0.9, 0.1, 0.5, 0.8, 0.7])
    instance = Instance.build(2, 3, candidates, per_submission=1, max_load=1)
    arcs = list(
        zip(
            instance.arc_submission.tolist(),
            instance.arc_reviewer.tolist(),
            strict=True,
        )
    )
    start = np.zeros(instance.arc_submission.size, dtype=bool)
    start[[arcs.index((0, 1)), arcs.index((1, 0))]] = True
    return instance, start


def test_a_round_of_paths_stops_at_its_deadline():
    """The deadline is checked before each path, not only between bisection
    rounds (one round took longer than fair mode's whole lift share at
    15,000 x 15,000): past it, no path is applied and the round fails."""
    instance, start = _one_low_paper()
    late = lift.Lifter(instance, start)

    assert not late.reach(0.5, deadline=time.perf_counter() - 1)
    np.testing.assert_array_equal(late.used, lift.Lifter(instance, start).used)
    on_time = lift.Lifter(instance, start)
    assert on_time.reach(0.5, deadline=time.perf_counter() + 30)
    assert on_time.minimum >= 0.5 - EPS


@settings(max_examples=60, deadline=None)
@given(conferences(), st.integers(1, 40))
def test_a_lift_stopped_mid_round_keeps_counts_loads_and_minimum(instance, ticks):
    """A clock that passes the deadline after ``ticks`` readings stops the
    lift between two paths, anywhere in a round: the assignment is whole."""
    assume(instance.arc_submission.size)
    start = _start(instance, 5)
    clock = itertools.count()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            lift, "time", types.SimpleNamespace(perf_counter=lambda: next(clock))
        )
        lifter = lift.Lifter(instance, start)
        lifter.raise_minimum(deadline=ticks)

    counts, loads = _counts_and_loads(instance, lifter.used)
    np.testing.assert_array_equal(counts, _counts_and_loads(instance, start)[0])
    assert (loads <= instance.free).all()
    assert lifter.minimum >= lift.Lifter(instance, start).minimum - EPS
    np.testing.assert_allclose(lifter.scores, submission_scores(instance, lifter.used))


@settings(max_examples=60, deadline=None)
@given(conferences(), st.integers(0, 6))
def test_phase_two_starts_no_round_past_its_deadline(instance, ticks):
    """``restore_total`` reads the clock once before each round (and once
    after it): with ``ticks`` readings left before the deadline it runs at
    most ``(ticks + 1) // 2`` rounds, returns the lifted assignment when it
    ran none, the same as without a deadline when it was not cut, and
    whatever it returns keeps the filled count, the loads and the
    lifted minimum."""
    assume(instance.arc_submission.size)
    lifted = _lifted(instance)
    plain_scores = submission_scores(instance, _start(instance, 0))
    unlimited, needed = restore.restore_total(instance, lifted, plain_scores)
    clock = itertools.count()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            restore, "time", types.SimpleNamespace(perf_counter=lambda: next(clock))
        )
        found, rounds = restore.restore_total(
            instance, lifted, plain_scores, deadline=ticks - 0.5
        )

    assert rounds <= (ticks + 1) // 2
    if rounds == 0:
        np.testing.assert_array_equal(found, lifted)
    if rounds == needed:  # not cut: the same answer as without a deadline
        np.testing.assert_array_equal(found, unlimited)
    _, loads = _counts_and_loads(instance, found)
    assert found.sum() == lifted.sum()  # a max flow: the filled count kept
    assert (loads <= instance.free).all()
    with_slots = instance.per_submission > 0
    assert (
        lift.lowest_score(submission_scores(instance, found), with_slots)
        >= lift.lowest_score(submission_scores(instance, lifted), with_slots) - EPS
    )


@settings(max_examples=30, deadline=None)
@given(conferences(), st.integers(1, 8))
def test_phase_two_starts_no_round_its_first_round_estimate_would_overrun(
    instance, first_round
):
    """With the clock one tick before the deadline, a first round estimated at
    ``first_round`` ticks (the plain solve's time, as fair mode passes it)
    does not start: the lifted assignment comes back, no round run. With an
    estimate of 0 (the default) the first round starts as before."""
    assume(instance.arc_submission.size)
    lifted = _lifted(instance)
    plain_scores = submission_scores(instance, _start(instance, 0))

    def run(estimate: float) -> tuple[np.ndarray, int]:
        clock = itertools.count()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                restore,
                "time",
                types.SimpleNamespace(perf_counter=lambda: next(clock)),
            )
            return restore.restore_total(
                instance, lifted, plain_scores, deadline=0.5, first_round=estimate
            )

    found, rounds = run(float(first_round))
    assert rounds == 0
    np.testing.assert_array_equal(found, lifted)
    assert run(0.0)[1] >= 1


def _lifted(instance: Instance) -> np.ndarray:
    """Phase 1's lift from the start of depth 3, on every arc, untimed."""
    everything = np.ones(instance.arc_submission.size, bool)
    return lift.lift_truncated(
        instance, _start(instance, 3), everything, None, None
    ).used

"""Phase 1's portfolio of lifts on truncated candidate lists (no database).

Each run lifts on every paper's best few candidates and then on all of them;
fair mode keeps the best run and searches the union of every run's arcs in
phase 3. Whatever the instance, the best run must be a valid assignment of
the same counts within the loads, never below its start's minimum, and at
least as good as every run it was chosen from.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings

from reviews.assignment import lift
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
    # Two papers, one slot each; reviewer 0 is the best for both (load 1).
    candidates = (
        [0, 0, 0, 1, 1],
        [0, 1, 2, 0, 1],
        [0.9, 0.1, 0.5, 0.8, 0.7],
    )
    instance = Instance.build(2, 3, candidates, per_submission=1, max_load=1)
    rank = rank_in_submission(instance)
    start = np.zeros(instance.arc_submission.size, dtype=bool)
    arcs = list(
        zip(
            instance.arc_submission.tolist(),
            instance.arc_reviewer.tolist(),
            strict=True,
        )
    )
    start[arcs.index((0, 1))] = True  # paper 0 holds its worst, 0.1
    start[arcs.index((1, 0))] = True  # paper 1 holds reviewer 0, 0.8

    lifted = lift.lift_truncated(instance, start, rank < 1, None, None)

    # Paper 0 takes reviewer 0 (0.9) and paper 1 moves to reviewer 1 (0.7),
    # or paper 0 takes reviewer 2 (0.5): either way the minimum is >= 0.5.
    assert lifted.minimum >= 0.5 - EPS

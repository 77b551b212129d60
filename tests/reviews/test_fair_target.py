"""Fair mode's target floor: FLOOR_SHARE of the max-min LP bound (no database).

Strict max-min gives away total for the last fraction of a percent of the
lowest score. Fair mode now raises the lowest paper to ``FLOOR_SHARE`` of the
LP bound (no assignment can beat that bound), and spends what it does not
need above that on the total. These tests check each stage's ceiling or floor
and the whole solve against independent solves (brute force, HiGHS on every
arc).
"""

from __future__ import annotations

import itertools
import logging
import time

import numpy as np
import pytest
from hypothesis import assume, given, settings

from reviews.assignment import Instance, assign
from reviews.assignment.bounds import integral_total_at_floor
from reviews.assignment.fair import FLOOR_SHARE, solve_fair
from reviews.assignment.floor import raise_floor
from reviews.assignment.lift import Lifter
from reviews.assignment.merging import merge_total
from reviews.assignment.relax import lp_bound
from reviews.assignment.solver import solve_weighted, submission_scores

from .test_merging import _active_min, conferences
from .test_solver import (
    _assert_same_counts_within_loads,
    _maxmin_by_milp,
    _small_conference,
)

TOLERANCE = 1e-6

# Three papers, three reviewers, one slot and one load each. The max-min is
# 0.5 (= the LP bound) at a total of 1.66; 0.95 of it (0.475) is reached by
# 0.48 at a total of 1.92; the plain optimum (2.15) leaves a paper at 0.28.
SCORES = np.array([[0.57, 0.48, 0.93], [0.94, 0.59, 0.33], [0.32, 0.28, 0.5]])


def _three_by_three() -> tuple:
    papers, reviewers = np.divmod(np.arange(9), 3)
    return papers, reviewers, SCORES.ravel()


def test_the_target_floor_keeps_the_total_strict_max_min_gives_away():
    result = assign(3, 3, _three_by_three(), per_submission=1, max_load=1, fair=True)

    # Brute force over the six assignments: the best total at 0.475 or more.
    best = max(
        (
            (SCORES[np.arange(3), perm].sum(), perm)
            for perm in itertools.permutations(range(3))
            if SCORES[np.arange(3), perm].min() >= FLOOR_SHARE * 0.5
        ),
    )
    assert result.stats["lp_bound"] == pytest.approx(0.5)
    assert result.min_submission_score == pytest.approx(0.48)
    assert result.total_score == pytest.approx(best[0]) == pytest.approx(1.92)
    assert sorted((p, r) for p, r, _ in result.pairs) == [(0, 1), (1, 0), (2, 2)]


def test_fair_reports_the_same_lp_bound_the_chair_sees():
    instance = _small_conference(7)
    plain = solve_weighted(instance)

    _, stats = solve_fair(instance)

    assert stats["lp_bound"] == pytest.approx(lp_bound(instance, plain), abs=1e-7)
    # When it came in, from the start of the solve (the bench's fair_phases).
    assert 0 < stats["bound_seconds"] < stats["fair_seconds"]


@settings(max_examples=40, deadline=None)
@given(conferences())
def test_fair_reaches_the_target_wherever_an_assignment_does(instance):
    """Against HiGHS on every arc: if some assignment reaches the target floor,
    fair mode's does too, and its total is never above the best at its floor."""
    assume(instance.arc_submission.size)
    plain = solve_weighted(instance)
    count = np.bincount(
        instance.arc_submission[plain], minlength=instance.submission_count
    )
    # Every slot filled: each paper's count is then the same in every
    # assignment fair mode may return (it fills as many slots as plain).
    assume(int(plain.sum()) == int(instance.need.sum()))
    assume((count[instance.per_submission > 0] > 0).all())
    used, stats = solve_fair(instance)
    assume("lp_bound" in stats)
    target = max(FLOOR_SHARE * stats["lp_bound"], stats["plain_min"])
    maxmin = _active_maxmin(instance, count)

    fair_min = _active_min(instance, used)
    assert fair_min <= maxmin + TOLERANCE
    assert fair_min >= min(maxmin, target) - 1e-4 * (1 + abs(target))
    best, exact = integral_total_at_floor(
        instance, count, fair_min - 1e-7, time_limit=30
    )
    assert exact
    assert best is not None
    assert submission_scores(instance, used).sum() <= best + TOLERANCE


def _active_maxmin(instance: Instance, count: np.ndarray) -> float:
    """The integral max-min over papers with reviewers, by bisection on HiGHS's
    feasibility at a floor (every arc; exact on these sizes)."""
    low, high = 0.0, float(instance.arc_score.max()) * int(count.max()) + 1.0
    for _ in range(40):
        middle = 0.5 * (low + high)
        best, exact = integral_total_at_floor(instance, count, middle, time_limit=30)
        assert exact
        low, high = (middle, high) if best is not None else (low, middle)
    return low


def test_raise_floor_stops_at_its_ceiling(caplog):
    caplog.set_level(logging.INFO, logger="reviews.assignment.floor")
    instance = _small_conference(7)
    plain = solve_weighted(instance)
    low = submission_scores(instance, plain).min()
    maxmin = _maxmin_by_milp(instance, plain)
    ceiling = low + 0.5 * (maxmin - low)

    raised = raise_floor(
        instance, plain, deadline=time.perf_counter() + 60, ceiling=ceiling
    )

    assert raised is not None
    _assert_same_counts_within_loads(instance, plain, raised)
    assert submission_scores(instance, raised).min() >= ceiling - 1e-3
    # No stage aimed higher (the log line of each CP-SAT stage).
    targets = [
        float(record.getMessage().split()[2].rstrip(","))
        for record in caplog.records
        if record.getMessage().startswith("raise_floor: target")
    ]
    assert targets
    assert max(targets) <= ceiling + 1e-3
    # A ceiling the start already reaches: nothing to raise.
    assert (
        raise_floor(
            instance, plain, deadline=time.perf_counter() + 60, ceiling=low - 1e-6
        )
        is None
    )


def test_the_lift_stops_once_it_reaches_the_target():
    instance = _small_conference(1, papers=20, reviewers=14)  # 2 rounds
    plain = solve_weighted(instance)
    free = Lifter(instance, plain)
    free.raise_minimum()
    low = submission_scores(instance, plain).min()
    assert free.minimum > low + 0.01  # the lift has room on this instance
    cap = low + 0.25 * (free.minimum - low)
    asked: list[float | None] = []

    def stop() -> float | None:
        asked.append(None if not asked else cap)  # unknown in the first round
        return asked[-1]

    stopped = Lifter(instance, plain)
    stopped.raise_minimum(stop=stop)

    # The same search as the free one, cut short once the target is reached.
    assert len(asked) >= 2
    assert cap <= stopped.minimum <= free.minimum
    assert stopped.searches <= free.searches
    _assert_same_counts_within_loads(instance, plain, stopped.used)
    # Already at the target: no round at all.
    still = Lifter(instance, plain)
    still.raise_minimum(stop=lambda: low)
    np.testing.assert_array_equal(still.used, plain)


def test_merging_at_a_lower_floor_gains_total_and_keeps_that_floor():
    instance = Instance.build(3, 3, _three_by_three(), per_submission=1, max_load=1)
    arcs = list(
        zip(
            instance.arc_submission.tolist(),
            instance.arc_reviewer.tolist(),
            strict=True,
        )
    )
    max_min = np.array([pair in {(0, 0), (1, 1), (2, 2)} for pair in arcs])
    plain = solve_weighted(instance)

    kept = merge_total(instance, max_min, [plain], deadline=time.perf_counter() + 30)
    lowered = merge_total(
        instance, max_min, [plain], deadline=time.perf_counter() + 30, floor=0.475
    )

    # At its own floor (0.5) nothing beats the max-min assignment (1.66).
    assert submission_scores(instance, kept).sum() == pytest.approx(1.66)
    assert submission_scores(instance, lowered).min() >= 0.475
    assert submission_scores(instance, lowered).sum() == pytest.approx(1.92)
    # A floor above the start's minimum is no floor: the start's minimum holds.
    higher = merge_total(
        instance, max_min, [plain], deadline=time.perf_counter() + 30, floor=0.9
    )
    assert submission_scores(instance, higher).sum() == pytest.approx(1.66)


def test_small_instances_get_the_same_assignment_every_time():
    """The bound's thread must not race the lift: on small instances the
    bound comes first, so the result cannot depend on which was faster."""
    instance = _small_conference(11, papers=30, reviewers=14)

    first, stats = solve_fair(instance)
    again, _ = solve_fair(instance)

    assert "lp_bound" in stats
    np.testing.assert_array_equal(first, again)

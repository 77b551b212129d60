"""Minimum loads and the column-generated max-min LP bound (no database)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance, assign
from reviews.assignment.bounds import maxmin_lp_bound
from reviews.assignment.relax import Relaxation
from reviews.assignment.solver import solve_weighted

TOLERANCE = 1e-6


@st.composite
def problems(draw: st.DrawFn) -> dict:
    papers = draw(st.integers(1, 3))
    reviewers = draw(st.integers(1, 3))
    all_pairs = list(itertools.product(range(papers), range(reviewers)))
    listed = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=7))
    return {
        "submission_count": papers,
        "reviewer_count": reviewers,
        "candidates": (
            [p for p, _ in listed],
            [r for _, r in listed],
            [draw(st.integers(0, 8)) / 4 for _ in listed],
        ),
        "per_submission": draw(
            st.lists(st.integers(0, 2), min_size=papers, max_size=papers)
        ),
        "max_load": draw(
            st.lists(st.integers(0, 2), min_size=reviewers, max_size=reviewers)
        ),
        "min_load": draw(
            st.lists(st.integers(0, 2), min_size=reviewers, max_size=reviewers)
        ),
        "conflicts": draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=2))
        or None,
    }


def brute_force(problem: dict) -> tuple[int, int, float]:
    """(most filled slots, then most pairs toward minimum loads, then best total)."""
    papers, reviewers, scores = problem["candidates"]
    conflicts = set(map(tuple, problem["conflicts"] or []))
    arcs = [
        (p, r, s)
        for p, r, s in zip(papers, reviewers, scores, strict=True)
        if (p, r) not in conflicts
    ]
    want = np.minimum(problem["min_load"], problem["max_load"])
    best = (0, 0, 0.0)
    for size in range(len(arcs) + 1):
        for chosen in itertools.combinations(arcs, size):
            per_submission = np.bincount(
                [p for p, _, _ in chosen], minlength=len(problem["per_submission"])
            )
            per_reviewer = np.bincount([r for _, r, _ in chosen], minlength=len(want))
            if (per_submission > problem["per_submission"]).any():
                continue
            if (per_reviewer > problem["max_load"]).any():
                continue
            toward = int(np.minimum(per_reviewer, want).sum())
            best = max(best, (size, toward, sum(s for _, _, s in chosen)))
    return best


@settings(max_examples=250, deadline=None)
@given(problems())
def test_min_load_comes_after_filling_and_before_affinity_and_is_reported(problem):
    result = assign(**problem)
    filled, toward, total = brute_force(problem)

    want = np.minimum(problem["min_load"], problem["max_load"])
    got = np.bincount(result.reviewers, minlength=len(want))
    assert result.filled_slots == filled
    assert int(np.minimum(got, want).sum()) == toward
    assert result.total_score == pytest.approx(total, abs=TOLERANCE)
    assert (got <= problem["max_load"]).all()
    assert set(result.below_min_load) == set(np.flatnonzero(got < want).tolist())
    conflicts = set(map(tuple, problem["conflicts"] or []))
    assert not conflicts & set(
        zip(result.submissions.tolist(), result.reviewers.tolist(), strict=True)
    )


def test_min_load_spreads_work_and_names_who_cannot_reach_it():
    # alice is best everywhere; bob must get one paper; carol has no candidate.
    candidates = ([0, 0, 1, 1], [0, 1, 0, 1], [0.9, 0.2, 0.8, 0.3])

    plain = assign(2, 3, candidates, per_submission=1, max_load=2)
    spread = assign(2, 3, candidates, per_submission=1, max_load=2, min_load=1)

    assert plain.pairs == [(0, 0, 0.9), (1, 0, 0.8)]
    assert plain.below_min_load == {}
    assert spread.pairs == [(0, 0, 0.9), (1, 1, 0.3)]
    assert spread.below_min_load == {
        2: "0 of 1 new pairs: only 0 eligible candidate pairs"
    }


def test_min_load_is_capped_at_the_max_load_and_counts_existing_pairs():
    candidates = ([0, 1, 2], [0, 0, 0], [0.5, 0.5, 0.5])

    result = assign(
        3, 1, candidates, per_submission=1, max_load=2, min_load=5, existing=[[0, 0]]
    )

    assert result.assigned_count.sum() == 2  # capped at 2, one already kept
    assert result.below_min_load == {}


@settings(max_examples=150, deadline=None)
@given(problems())
def test_column_generation_bound_equals_the_whole_lp(problem):
    problem = {**problem, "min_load": 0}
    instance = Instance.build(**problem)
    if not instance.arc_submission.size or not instance.per_submission.any():
        return
    plain = solve_weighted(instance)

    bound = Relaxation(instance, int(plain.sum())).max_min(plain.copy())

    assert bound.exact
    assert bound.value == pytest.approx(
        maxmin_lp_bound(instance, int(plain.sum())), abs=1e-6
    )


def _random_conference(
    seed: int, papers: int, reviewers: int, per_paper: int
) -> tuple[tuple, Instance]:
    """Each paper with ``per_paper`` random candidates at random scores,
    k = 3, loads of 6: ``(candidates, instance)``."""
    rng = np.random.default_rng(seed)
    pairs = [
        (p, r)
        for p in range(papers)
        for r in rng.choice(reviewers, per_paper, replace=False)
    ]
    candidates = (
        [p for p, _ in pairs],
        [r for _, r in pairs],
        np.round(rng.random(len(pairs)), 3),
    )
    instance = Instance.build(
        papers, reviewers, candidates, per_submission=3, max_load=6
    )
    return candidates, instance


def test_column_generation_bound_matches_on_a_conference_it_must_price(monkeypatch):
    from reviews.assignment import relax

    papers, reviewers = 60, 40
    candidates, instance = _random_conference(7, papers, reviewers, 15)
    plain = solve_weighted(instance)
    # Start from few arcs so that pricing has to bring the others in.
    monkeypatch.setattr(relax, "START_PER_SUBMISSION", 1)
    monkeypatch.setattr(relax, "START_PER_REVIEWER", 1)

    bound = Relaxation(instance, int(plain.sum())).max_min(plain.copy())

    assert bound.rounds > 1
    assert bound.exact
    assert bound.value == pytest.approx(maxmin_lp_bound(instance, 180), abs=1e-6)
    assert assign(
        papers, reviewers, candidates, per_submission=3, max_load=6, lp_bound=True
    ).stats["lp_bound"] == pytest.approx(bound.value, abs=1e-6)


@pytest.mark.parametrize("seed", [3, 11])
def test_pricing_rounds_on_one_highs_model_reach_the_whole_lps_optimum(
    monkeypatch, seed
):
    """The restricted LP stays in HiGHS between rounds (arcs appended as
    columns, interior point then the primal simplex from the last basis, the
    dual simplex for a few rounds at a floor): starting from few arcs, it
    ends where one solve on every arc does, with a feasible x."""
    from reviews.assignment import relax

    papers, reviewers = 80, 50
    _, instance = _random_conference(seed, papers, reviewers, 20)
    plain = solve_weighted(instance)
    filled = int(plain.sum())
    monkeypatch.setattr(relax, "START_PER_SUBMISSION", 1)
    monkeypatch.setattr(relax, "START_PER_REVIEWER", 0)
    monkeypatch.setattr(relax, "PER_SUBMISSION_BATCH", 1)
    # Every round after the first on the primal simplex.
    monkeypatch.setattr(relax, "SIMPLEX_BELOW", 0)
    bound = Relaxation(instance, filled).max_min(plain.copy())
    floor = 0.97 * bound.value
    priced = Relaxation(instance, filled).max_total(bound.x > 0, floor)
    quick = Relaxation(instance, filled).max_total(bound.x > 0, floor, rounds=2)
    monkeypatch.setattr(relax, "START_PER_SUBMISSION", 20)  # every arc at once
    whole = Relaxation(instance, filled).max_total(bound.x > 0, floor)

    assert bound.rounds > 1
    assert priced.rounds > 1
    assert bound.exact
    assert priced.exact
    assert whole.rounds == 1
    assert bound.value == pytest.approx(maxmin_lp_bound(instance, filled), abs=1e-6)
    assert priced.value == pytest.approx(whole.value, abs=1e-6)
    assert quick.value <= priced.value + 1e-6
    for solution, at_least in ((bound, bound.value), (priced, floor), (quick, floor)):
        x = solution.x
        assert x.min() >= -1e-9
        assert x.max() <= 1 + 1e-9
        assert x.sum() == pytest.approx(filled, abs=1e-6)
        per_paper = np.bincount(
            instance.arc_submission, weights=x * instance.arc_score, minlength=papers
        )
        assert per_paper.min() >= at_least - 1e-6
        loads = np.bincount(instance.arc_reviewer, weights=x, minlength=reviewers)
        assert loads.max() <= 6 + 1e-6


@settings(max_examples=100, deadline=None)
@given(problems())
def test_fair_mode_keeps_the_filled_count_and_reports_every_short_reviewer(problem):
    plain = assign(**problem)
    fair = assign(**problem, fair=True, lp_bound=True)
    filled, toward, _ = brute_force(problem)

    want = np.minimum(problem["min_load"], problem["max_load"])
    got = np.bincount(fair.reviewers, minlength=len(want))
    assert fair.filled_slots == plain.filled_slots == filled
    assert int(np.minimum(got, want).sum()) == toward  # min_loads.py's repair
    assert (got <= problem["max_load"]).all()
    assert set(fair.below_min_load) == set(np.flatnonzero(got < want).tolist())
    if any(problem["per_submission"]):
        assert fair.min_submission_score >= plain.min_submission_score - TOLERANCE
    # The bound keeps the plain optimum's minimum-load pairs, as fair mode does.
    if "lp_bound" in fair.stats and any(problem["per_submission"]):
        assert fair.min_submission_score <= fair.stats["lp_bound"] + TOLERANCE

"""Fair mode when the loads cannot fill every slot (reviews/assignment/even.py):
each paper's count is then part of the choice. Checked against brute force
over every assignment of small conferences: the most pairs, then the highest
lowest paper score, then the most total, exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance, assign
from reviews.assignment.even import even_counts, solve_even
from reviews.assignment.solver import solve_weighted, submission_scores


def test_the_probe_that_found_it():
    """Six papers, two slots each, six reviewer slots: plain gave two papers
    two reviewers and two none; one each lifts the lowest paper to 0.1762."""
    rows = [
        (0, 1, 0.0907), (0, 2, 0.3967), (1, 0, 0.6820), (1, 1, 0.6190),
        (1, 2, 0.1798), (2, 0, 0.4181), (2, 1, 0.3502), (2, 2, 0.7015),
        (3, 1, 0.2182), (3, 2, 0.2778), (4, 1, 0.1762), (4, 2, 0.3693),
        (5, 0, 0.8710), (5, 1, 0.2088),
    ]  # fmt: skip
    papers, reviewers, scores = (np.array(c) for c in zip(*rows, strict=True))

    result = assign(
        6,
        3,
        (papers, reviewers, scores),
        per_submission=2,
        max_load=np.array([1, 4, 1]),
        fair=True,
    )

    assert result.submissions.size == 6
    assert result.min_submission_score == pytest.approx(0.1762)
    assert sorted(np.bincount(result.submissions, minlength=6)) == [1] * 6


@st.composite
def short_conferences(draw: st.DrawFn) -> Instance:
    """Up to 5 papers and 4 reviewers, loads too small for every slot."""
    rng = np.random.default_rng(draw(st.integers(0, 100_000)))
    papers, reviewers = draw(st.integers(2, 5)), draw(st.integers(2, 4))
    per = draw(st.integers(1, 2))
    pairs = [(p, r) for p in range(papers) for r in range(reviewers)]
    kept = [pair for pair in pairs if rng.random() < 0.8]
    assume(kept)
    submission_ids, reviewer_ids = (np.array(c) for c in zip(*kept, strict=True))
    kind = draw(st.sampled_from(["uniform", "ties", "integers", "signed"]))
    scores = {
        "uniform": rng.random(len(kept)),
        "ties": np.full(len(kept), 0.5),
        "integers": rng.integers(0, 4, len(kept)).astype(float),
        "signed": rng.uniform(-1, 1, len(kept)),
    }[kind]
    loads = rng.integers(0, 3, reviewers)
    assume(loads.sum() < per * papers)
    return Instance.build(
        papers,
        reviewers,
        (submission_ids, reviewer_ids, np.round(scores, 3)),
        per_submission=per,
        max_load=loads,
    )


def _brute_force(instance: Instance) -> tuple[tuple[int, float, float], int]:
    """(pairs, lowest paper score, total) of the lexicographic best, over
    every choice of each paper's reviewers; and the largest smallest count
    among choices of that many pairs."""
    options = []
    for p in range(instance.submission_count):
        arcs = np.flatnonzero(instance.arc_submission == p).tolist()
        options.append(
            [
                chosen
                for size in range(int(instance.need[p]) + 1)
                for chosen in itertools.combinations(arcs, size)
            ]
        )
    best = (-1, -np.inf, -np.inf)
    fewest: dict[int, int] = {}  # pairs: the largest smallest count
    for choice in itertools.product(*options):
        used = np.zeros(instance.arc_submission.size, dtype=bool)
        used[[a for chosen in choice for a in chosen]] = True
        load = np.bincount(
            instance.arc_reviewer[used], minlength=instance.reviewer_count
        )
        if (load > instance.free).any():
            continue
        scores = submission_scores(instance, used)
        count = np.bincount(
            instance.arc_submission[used], minlength=instance.submission_count
        )
        fewest[int(used.sum())] = max(fewest.get(int(used.sum()), 0), int(count.min()))
        key = (
            int(used.sum()),
            round(float(scores.min()), 9),
            round(float(scores.sum()), 9),
        )
        best = max(best, key)
    return best, fewest[best[0]]


@settings(max_examples=60, deadline=None)
@given(short_conferences())
def test_fair_mode_with_too_few_reviewers_is_the_lexicographic_optimum(instance):
    assume(instance.arc_submission.size)
    plain = solve_weighted(instance)
    assume(plain.sum() < instance.need.sum())
    (pairs, lowest, total), _ = _brute_force(instance)

    result = assign(
        instance.submission_count,
        instance.reviewer_count,
        (instance.arc_submission, instance.arc_reviewer, instance.arc_score),
        per_submission=int(instance.per_submission[0]),
        max_load=instance.max_load,
        fair=True,
    )

    assert result.submissions.size == pairs
    assert result.min_submission_score == pytest.approx(lowest, abs=1e-6)
    assert result.total_score == pytest.approx(total, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(short_conferences())
def test_even_counts_fill_as_many_slots_as_plain_and_lift_the_fewest(instance):
    """The spread start of larger instances: as many pairs as the plain
    optimum, within every load, and its smallest count is the largest any
    assignment of that many pairs has."""
    assume(instance.arc_submission.size)
    plain = solve_weighted(instance)
    even = solve_even(instance)
    counts = even_counts(instance)

    assert even.sum() == plain.sum() == counts.sum()
    assert (
        np.bincount(instance.arc_submission[even], minlength=len(counts)) == counts
    ).all()
    load = np.bincount(instance.arc_reviewer[even], minlength=instance.reviewer_count)
    assert (load <= instance.free).all()
    assert counts.min() == _brute_force(instance)[1]

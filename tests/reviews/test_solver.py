"""The assignment solver against brute force on tiny instances (no database)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Instance, assign
from reviews.assignment.arcs import rank_in_submission
from reviews.assignment.bounds import integral_maxmin_bound, maxmin_lp_bound

TOLERANCE = 1e-6  # integer cost rounding: far below this on tiny instances


@st.composite
def instances(draw: st.DrawFn) -> dict:
    papers = draw(st.integers(1, 3))
    reviewers = draw(st.integers(1, 3))
    all_pairs = list(itertools.product(range(papers), range(reviewers)))
    listed = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=8))
    # Quarter steps make ties likely, which is where wrong solvers slip.
    scores = [draw(st.integers(-2, 8)) / 4 for _ in listed]
    conflicts = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=3))
    existing = draw(
        st.lists(
            st.sampled_from([p for p in all_pairs if p not in conflicts]),
            unique=True,
            max_size=2,
        )
        if len(conflicts) < len(all_pairs)
        else st.just([])
    )
    return {
        "submission_count": papers,
        "reviewer_count": reviewers,
        "candidates": (
            [p for p, _ in listed],
            [r for _, r in listed],
            scores,
        ),
        "per_submission": draw(
            st.lists(st.integers(0, 2), min_size=papers, max_size=papers)
        ),
        "max_load": draw(
            st.lists(st.integers(0, 2), min_size=reviewers, max_size=reviewers)
        ),
        "conflicts": conflicts or None,
        "existing": existing or None,
    }


def brute_force(instance: dict) -> tuple[int, float, float]:
    """(most filled slots, best total, best minimum among most-filled)."""
    papers, reviewers, scores = instance["candidates"]
    score = {(p, r): s for p, r, s in zip(papers, reviewers, scores, strict=True)}
    existing = set(map(tuple, instance["existing"] or []))
    conflicts = set(map(tuple, instance["conflicts"] or []))
    open_pairs = [pair for pair in score if pair not in conflicts | existing]
    k, load = instance["per_submission"], instance["max_load"]
    base = {p: 0 for p in range(instance["submission_count"])}
    for p, _ in existing:
        base[p] += 1
    used = {r: sum(1 for _, x in existing if x == r) for r in range(len(load))}
    best = (-1, -np.inf, -np.inf)
    best_min_at_fill: dict[int, float] = {}
    for size in range(len(open_pairs) + 1):
        for chosen in itertools.combinations(open_pairs, size):
            per_submission = dict(base)
            per_reviewer = dict(used)
            for p, r in chosen:
                per_submission[p] += 1
                per_reviewer[r] += 1
            if any(per_submission[p] > max(k[p], base[p]) for p in per_submission):
                continue
            if any(per_reviewer[r] > max(load[r], used[r]) for r in per_reviewer):
                continue
            if any(per_submission[p] > k[p] and (p, r) in chosen for p, r in chosen):
                continue
            if any(per_reviewer[r] > load[r] and (p, r) in chosen for p, r in chosen):
                continue
            paper_score = {p: 0.0 for p in base}
            for pair in list(chosen) + list(existing):
                paper_score[pair[0]] += score.get(pair, 0.0)
            total = sum(paper_score.values())
            with_slots = [paper_score[p] for p in base if k[p] > 0]
            minimum = min(with_slots) if with_slots else 0.0
            best = max(best, (size, total, -np.inf))
            best_min_at_fill[size] = max(best_min_at_fill.get(size, -np.inf), minimum)
    return best[0], best[1], best_min_at_fill[best[0]]


def new_pairs(result) -> set[tuple[int, int]]:
    return {
        (int(p), int(r))
        for p, r, new in zip(
            result.submissions, result.reviewers, result.is_new, strict=True
        )
        if new
    }


@settings(max_examples=300, deadline=None)
@given(instances())
def test_assign_matches_brute_force_and_respects_constraints(instance):
    result = assign(**instance)
    filled, total, _ = brute_force(instance)

    pairs = list(
        zip(result.submissions.tolist(), result.reviewers.tolist(), strict=True)
    )
    existing = set(map(tuple, instance["existing"] or []))
    assert len(pairs) == len(set(pairs))
    assert existing <= set(pairs)
    assert not new_pairs(result) & set(map(tuple, instance["conflicts"] or []))
    listed = set(zip(*instance["candidates"][:2], strict=True))
    assert new_pairs(result) <= listed
    for r, load in enumerate(instance["max_load"]):
        kept = sum(1 for _, x in existing if x == r)
        assert sum(1 for _, x in pairs if x == r) <= max(load, kept)
    for p, k in enumerate(instance["per_submission"]):
        kept = sum(1 for x, _ in existing if x == p)
        assert sum(1 for x, _ in pairs if x == p) <= max(k, kept)
    assert result.filled_slots == filled
    assert result.total_score == pytest.approx(total, abs=TOLERANCE)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_fair_never_lowers_the_minimum_or_the_filled_count(instance):
    plain = assign(**instance)
    fair = assign(**instance, fair=True)
    filled, _, best_minimum = brute_force(instance)

    assert fair.filled_slots == plain.filled_slots == filled
    if any(instance["per_submission"]):
        assert fair.min_submission_score >= plain.min_submission_score - TOLERANCE
        assert fair.min_submission_score <= best_minimum + TOLERANCE
    assert fair.total_score <= plain.total_score + TOLERANCE


def test_fair_spreads_the_expert_that_plain_piles_up():
    # Plain maximises the total (0.9 + 0.45 > 0.5 + 0.8) and leaves paper 1 at
    # 0.45; fair gives the expert to paper 1 and raises the minimum to 0.5.
    candidates = ([0, 0, 1, 1], [0, 1, 0, 2], [0.9, 0.5, 0.8, 0.45])

    plain = assign(2, 3, candidates, per_submission=1, max_load=1)
    fair = assign(2, 3, candidates, per_submission=1, max_load=1, fair=True)

    assert plain.pairs == [(0, 0, 0.9), (1, 2, 0.45)]
    assert fair.pairs == [(0, 1, 0.5), (1, 0, 0.8)]


def test_infeasible_input_reports_every_short_paper_with_a_reason():
    # Three papers want two reviewers each; only two reviewers with load 2.
    candidates = ([0, 0, 1, 1, 2], [0, 1, 0, 1, 0], [1.0, 1.0, 1.0, 1.0, 0.5])

    result = assign(3, 2, candidates, per_submission=2, max_load=[2, 2])

    assert result.filled_slots == 4
    assert sorted(result.unfilled) == [2]
    assert sorted(result.pairs) == [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, 1.0)]
    assert (
        result.unfilled[2]
        == (
            "2 short: only 1 eligible reviewer with free load (k=2, 1 non-conflicted "
            "candidates)"
        )
        or "free load is used up by other papers" in result.unfilled[2]
    )


def test_unfilled_reason_distinguishes_missing_candidates_from_contention():
    # Paper 0 has one candidate; papers 1 and 2 share one reviewer of load 1.
    candidates = ([0, 1, 2], [0, 1, 1], [0.5, 0.9, 0.8])

    result = assign(3, 2, candidates, per_submission=1, max_load=1, conflicts=[[0, 0]])

    assert result.unfilled == {
        0: "1 short: only 0 eligible reviewers with free load (k=1, 0 non-conflicted "
        "candidates)",
        2: "1 short: 1 eligible reviewers, but their free load is used up by other "
        "papers (got 0 of 1 open slots; the filled count is maximal)",
    }


def test_existing_assignments_count_toward_k_and_load():
    candidates = ([0, 0, 1], [0, 1, 0], [0.2, 0.9, 0.9])

    result = assign(2, 2, candidates, per_submission=1, max_load=1, existing=[[0, 0]])

    assert result.pairs == [(0, 0, 0.2)]
    assert result.is_new.tolist() == [False]
    assert list(result.unfilled) == [1]


def test_min_paper_score_ignores_papers_without_slots():
    candidates = ([0, 1], [0, 1], [0.5, 0.25])

    result = assign(2, 2, candidates, per_submission=[1, 0], max_load=1)

    assert (result.total_score, result.min_submission_score) == (0.5, 0.5)


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        (([0, 0], [1, 1], [0.1, 0.2]), "duplicate candidate pair"),
        (([0], [5], [0.1]), "candidate reviewer index out of range"),
        (([0], [0], [float("nan")]), "candidate scores must be finite"),
    ],
)
def test_malformed_input_raises_value_error(candidates, message):
    with pytest.raises(ValueError, match=message):
        assign(1, 2, candidates, max_load=1)


def test_large_sparse_instance_fills_every_slot_without_dense_matrices():
    rng = np.random.default_rng(7)
    papers, reviewers, per = 3_000, 3_000, 20
    submission_ids = np.repeat(np.arange(papers), per)
    reviewer_ids = (
        submission_ids * 7 + np.tile(np.arange(per), papers) * 131
    ) % reviewers
    scores = rng.random(submission_ids.size)

    result = assign(
        papers,
        reviewers,
        (submission_ids, reviewer_ids, scores),
        per_submission=3,
        max_load=3,
    )

    assert (result.filled_slots, result.unfilled) == (9_000, {})


def _instance_of(spec: dict):
    return Instance.build(
        spec["submission_count"],
        spec["reviewer_count"],
        spec["candidates"],
        per_submission=spec["per_submission"],
        max_load=spec["max_load"],
        conflicts=spec["conflicts"],
        existing=spec["existing"],
    )


@settings(max_examples=200, deadline=None)
@given(instances())
def test_maxmin_bounds_are_never_below_the_brute_force_maxmin(instance):
    filled, _, best_minimum = brute_force(instance)
    if not any(instance["per_submission"]):
        return
    built = _instance_of(instance)
    lp = maxmin_lp_bound(built, filled)
    integral = integral_maxmin_bound(built)

    assert lp is not None
    assert lp >= best_minimum - TOLERANCE
    if integral is not None:  # only defined when every open slot is fillable
        assert filled == int(built.need.sum())
        assert integral[0] >= best_minimum - TOLERANCE


def test_fair_lifts_through_a_chain_of_swaps():
    # Plain (total 1.95) gives paper 0 its weak reviewer 2; its expert 0 sits
    # on paper 1, whose only other option, reviewer 1, sits on paper 2, which
    # can move to the free reviewer 3. Only that three-swap path reaches the
    # max-min 0.5 (total 1.6).
    candidates = (
        [0, 0, 1, 1, 2, 2],
        [0, 2, 0, 1, 1, 3],
        [0.6, 0.1, 0.95, 0.5, 0.9, 0.5],
    )
    spec = {
        "submission_count": 3,
        "reviewer_count": 4,
        "candidates": candidates,
        "per_submission": [1, 1, 1],
        "max_load": [1, 1, 1, 1],
        "conflicts": None,
        "existing": None,
    }

    plain = assign(**spec)
    fair = assign(**spec, fair=True)

    assert plain.pairs == [(0, 2, 0.1), (1, 0, 0.95), (2, 1, 0.9)]
    assert fair.pairs == [(0, 0, 0.6), (1, 1, 0.5), (2, 3, 0.5)]
    assert fair.min_submission_score == brute_force(spec)[2] == 0.5


@st.composite
def random_conferences(draw: st.DrawFn) -> dict:
    """Bigger than brute force can check: for invariants, not optimality."""
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    papers, reviewers = draw(st.integers(5, 40)), draw(st.integers(3, 30))
    per = min(reviewers, draw(st.integers(2, 10)))
    submission_ids = np.repeat(np.arange(papers), per)
    reviewer_ids = np.concatenate(
        [rng.choice(reviewers, per, replace=False) for _ in range(papers)]
    )
    # Bimodal scores (experts and the rest), the case where plain piles up.
    scores = np.where(rng.random(submission_ids.size) < 0.2, 0.9, 0.1) * rng.uniform(
        0.5, 1.0, submission_ids.size
    )
    return {
        "submission_count": papers,
        "reviewer_count": reviewers,
        "candidates": (submission_ids, reviewer_ids, np.round(scores, 3)),
        "per_submission": draw(st.integers(1, 3)),
        "max_load": rng.integers(0, 5, reviewers),
    }


@settings(max_examples=60, deadline=None)
@given(random_conferences())
def test_fair_keeps_every_constraint_and_the_guarantees(conference):
    plain = assign(**conference)
    fair = assign(**conference, fair=True)

    pairs = set(zip(fair.submissions.tolist(), fair.reviewers.tolist(), strict=True))
    listed = set(zip(*(c.tolist() for c in conference["candidates"][:2]), strict=True))
    assert len(pairs) == fair.submissions.size
    assert pairs <= listed
    loads = np.bincount(fair.reviewers, minlength=conference["reviewer_count"])
    assert (loads <= conference["max_load"]).all()
    assert (fair.assigned_count <= conference["per_submission"]).all()
    # The same number of slots, not necessarily on the same papers: when not
    # every slot is fillable, fair may fill a poorer paper instead.
    assert fair.filled_slots == plain.filled_slots
    assert fair.min_submission_score >= plain.min_submission_score - TOLERANCE
    assert fair.total_score <= plain.total_score + TOLERANCE
    recomputed = np.bincount(
        fair.submissions, weights=fair.scores, minlength=conference["submission_count"]
    )
    np.testing.assert_allclose(fair.submission_scores, recomputed, atol=TOLERANCE)


def test_exact_phase_keeps_counts_and_loads_and_respects_its_deadline():
    import time

    from reviews.assignment.exact import improve
    from reviews.assignment.solver import solve_weighted, submission_scores

    instance = _small_conference(7)
    plain = solve_weighted(instance)
    support = rank_in_submission(instance) < 3
    assert (
        improve(
            instance, plain, plain, support=support, deadline=time.perf_counter() - 1
        )
        is None
    )
    better = improve(
        instance, plain, plain, support=support, deadline=time.perf_counter() + 10
    )
    assert better is not None
    _assert_same_counts_within_loads(instance, plain, better)
    count = np.bincount(
        instance.arc_submission[plain], minlength=instance.submission_count
    )
    has = count > 0
    before = submission_scores(instance, plain)[has].min()
    assert submission_scores(instance, better)[has].min() >= before - 1e-9


def _small_conference(seed: int, papers: int = 12, reviewers: int = 8) -> Instance:
    rng = np.random.default_rng(seed)
    pairs = [
        (p, r) for p in range(papers) for r in range(reviewers) if rng.random() < 0.7
    ]
    cand = (
        [p for p, _ in pairs],
        [r for _, r in pairs],
        rng.uniform(0, 1, len(pairs)).round(3),
    )
    return Instance.build(papers, reviewers, cand, per_submission=2, max_load=3)


def _assert_same_counts_within_loads(instance, before, after):
    count = np.bincount(
        instance.arc_submission[before], minlength=instance.submission_count
    )
    assert (
        np.bincount(instance.arc_submission[after], minlength=instance.submission_count)
        == count
    ).all()
    loads = np.bincount(instance.arc_reviewer[after], minlength=instance.reviewer_count)
    assert (loads <= instance.free).all()


def test_raise_floor_lifts_the_minimum_of_the_plain_optimum_to_the_max_min():
    import time

    from reviews.assignment.floor import raise_floor
    from reviews.assignment.solver import solve_weighted, submission_scores

    instance = _small_conference(7)
    plain = solve_weighted(instance)
    # Every stage that reaches its target starts the next; on a model this
    # small the last one is proven unreachable, so the result is the max-min.
    raised = raise_floor(instance, plain, deadline=time.perf_counter() + 60)

    assert raised is not None
    _assert_same_counts_within_loads(instance, plain, raised)
    before = submission_scores(instance, plain).min()
    after = submission_scores(instance, raised).min()
    assert after > before
    exact = _maxmin_by_milp(instance, plain)
    assert after == pytest.approx(exact, abs=1e-3 * exact + 1e-4)


def _maxmin_by_milp(instance, plain) -> float:
    """An independent max-min with plain's counts: HiGHS maximising ``t``."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, hstack

    arcs = np.arange(instance.arc_submission.size)
    count = np.bincount(
        instance.arc_submission[plain], minlength=instance.submission_count
    )
    shape = (instance.submission_count, arcs.size)
    fill = coo_matrix((np.ones(arcs.size), (instance.arc_submission, arcs)), shape)
    score = coo_matrix((instance.arc_score, (instance.arc_submission, arcs)), shape)
    loads = coo_matrix(
        (np.ones(arcs.size), (instance.arc_reviewer, arcs)),
        (instance.reviewer_count, arcs.size),
    )
    t = coo_matrix(np.ones((instance.submission_count, 1)))
    zero = coo_matrix((instance.reviewer_count, 1))
    result = milp(
        np.concatenate([np.zeros(arcs.size), [-1.0]]),
        constraints=[
            LinearConstraint(hstack([fill, 0 * t]), count, count),
            LinearConstraint(hstack([loads, zero]), -np.inf, instance.free),
            LinearConstraint(hstack([score, -t]), 0, np.inf),
        ],
        integrality=np.concatenate([np.ones(arcs.size), [0]]),
        bounds=Bounds(
            np.concatenate([np.zeros(arcs.size), [-np.inf]]),
            np.concatenate([np.ones(arcs.size), [np.inf]]),
        ),
    )
    assert result.status == 0
    return float(-result.fun)


def test_raise_floor_returns_none_when_the_minimum_is_already_the_max_min():
    import time

    from reviews.assignment.floor import raise_floor
    from reviews.assignment.solver import solve_weighted

    instance = _small_conference(11)
    plain = solve_weighted(instance)
    top = raise_floor(instance, plain, deadline=time.perf_counter() + 60)
    assert top is not None  # the plain optimum is not max-min here

    assert raise_floor(instance, top, deadline=time.perf_counter() + 60) is None
    assert raise_floor(instance, plain, deadline=time.perf_counter() - 1) is None


def test_raise_floor_stops_a_stalled_search_and_keeps_the_floor(monkeypatch):
    # Forced LNS-only, which can never prove a target unreachable: without the
    # stall watchdog each stage would run to the (far) deadline.
    import time

    from reviews.assignment import floor
    from reviews.assignment.solver import solve_weighted, submission_scores

    monkeypatch.setattr(floor, "FLOOR_LNS_ONLY_ARCS", 0)
    monkeypatch.setattr(floor, "FLOOR_STALL", 0.5)
    instance = _small_conference(3, papers=30, reviewers=20)
    plain = solve_weighted(instance)
    started = time.perf_counter()
    raised = floor.raise_floor(instance, plain, deadline=started + 3600)

    assert time.perf_counter() - started < 600  # returned: stall, not deadline
    if raised is not None:
        _assert_same_counts_within_loads(instance, plain, raised)
        after, before = (
            submission_scores(instance, raised),
            submission_scores(instance, plain),
        )
        assert after.min() > before.min()


def _assignments(instance, count):
    """Brute force: every assignment with each paper at ``count``, within loads,
    as (arcs used, per-paper scores)."""
    arcs_of = [
        np.flatnonzero(instance.arc_submission == p)
        for p in range(instance.submission_count)
    ]
    for choice in itertools.product(
        *(itertools.combinations(arcs_of[p], int(count[p])) for p in range(len(count)))
    ):
        used = np.zeros(instance.arc_submission.size, dtype=bool)
        used[[a for arcs in choice for a in arcs]] = True
        loads = np.bincount(
            instance.arc_reviewer[used], minlength=instance.reviewer_count
        )
        if (loads <= instance.free).all():
            yield (
                used,
                instance.base_score
                + np.bincount(
                    instance.arc_submission[used],
                    weights=instance.arc_score[used],
                    minlength=instance.submission_count,
                ),
            )


def test_merge_total_reaches_the_best_total_at_the_floor():
    import time

    from reviews.assignment.merging import merge_total
    from reviews.assignment.solver import solve_weighted, submission_scores

    instance = _small_conference(14, papers=5, reviewers=4)
    plain = solve_weighted(instance)
    count = np.bincount(
        instance.arc_submission[plain], minlength=instance.submission_count
    )
    every = list(_assignments(instance, count))
    floor = max(scores.min() for _, scores in every)
    at_floor = [(used, s) for used, s in every if s.min() >= floor - 1e-9]
    # Start from the max-min assignment that gives up the most total.
    start = min(at_floor, key=lambda item: item[1].sum())[0]
    best = max(s.sum() for _, s in at_floor)
    assert submission_scores(instance, start).sum() < best - 0.1  # total to give back

    merged = merge_total(
        instance,
        start,
        [plain, np.ones_like(plain)],  # every arc: the exact problem
        deadline=time.perf_counter() + 60,
    )

    _assert_same_counts_within_loads(instance, start, merged)
    scores = submission_scores(instance, merged)
    assert scores.min() >= floor - 1e-9
    assert scores.sum() == pytest.approx(best)


@pytest.mark.parametrize("answer", ["nothing", "below the floor"])
def test_merge_total_keeps_its_start_unless_the_milp_does_better_at_the_floor(
    monkeypatch, answer
):
    import time

    from reviews.assignment import merging
    from reviews.assignment.floor import raise_floor
    from reviews.assignment.solver import solve_weighted, submission_scores

    instance = _small_conference(7)
    plain = solve_weighted(instance)
    raised = raise_floor(instance, plain, deadline=time.perf_counter() + 60)
    assert raised is not None
    # The plain optimum: a higher total, but a minimum below the raised floor,
    # as a MILP answer within HiGHS's tolerance but not exactly at the floor.
    assert (
        submission_scores(instance, plain).sum()
        > submission_scores(instance, raised).sum()
    )
    monkeypatch.setattr(
        merging,
        "best_total_on",
        lambda *args, **kwargs: None if answer == "nothing" else plain.copy(),
    )

    merged = merging.merge_total(
        instance, raised, [plain], deadline=time.perf_counter() + 30
    )

    assert (merged == raised).all()


def test_improve_falls_back_to_the_restored_total_when_the_milp_times_out(
    monkeypatch,
):
    # The total MILP can find nothing in time near the max-min (measured on the
    # bench instance); the raised floor must survive with the flows' total.
    import time

    from reviews.assignment import exact, merging
    from reviews.assignment.restore import restore_total
    from reviews.assignment.solver import solve_weighted, submission_scores

    instance = _small_conference(7)
    plain = solve_weighted(instance)
    plain_scores = submission_scores(instance, plain)
    restored = []

    def restore(used):
        result = restore_total(instance, used, plain_scores)[0]
        restored.append(result)
        return result

    monkeypatch.setattr(merging, "best_total_on", lambda *args, **kwargs: None)
    better = exact.improve(
        instance,
        plain,
        plain,
        support=rank_in_submission(instance) < 3,
        deadline=time.perf_counter() + 30,
        restore=restore,
    )

    assert better is not None
    assert any((better == r).all() for r in restored)
    _assert_same_counts_within_loads(instance, plain, better)
    assert submission_scores(instance, better).min() > plain_scores.min()


def test_fair_order_is_lexicographic_minimum_then_total():
    from reviews.assignment.fair import _better

    # Two papers, one reviewer slot each; reviewer loads 1.
    candidates = ([0, 0, 1, 1], [0, 1, 0, 1], [0.9, 0.5, 0.8, 0.45])
    instance = Instance.build(2, 2, candidates, per_submission=1, max_load=1)
    arcs = list(
        zip(
            instance.arc_submission.tolist(),
            instance.arc_reviewer.tolist(),
            strict=True,
        )
    )

    def pick(*pairs):
        return np.array([pair in pairs for pair in arcs])

    piled = pick((0, 0), (1, 1))  # total 1.35, minimum 0.45
    spread = pick((0, 1), (1, 0))  # total 1.30, minimum 0.5
    half = pick((0, 0))  # fills one slot fewer

    assert _better(instance, spread, piled)  # higher minimum wins
    assert not _better(instance, piled, spread)  # a higher total does not
    assert _better(instance, spread, spread)  # ties are kept
    assert not _better(instance, half, piled)  # never fewer filled slots

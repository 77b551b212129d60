"""Fair assignment: raise the lowest per-paper affinity, then the total.

Exact max-min assignment is NP-hard (Stelmakh et al., PeerReview4All), so this is
a heuristic with hard guarantees: the result fills exactly as many slots as the
plain optimum, and its lowest per-paper affinity is never below the plain
optimum's. Three phases, each on integral assignments:

1. **Lift** (FairFlow-style local search, Kobren et al. 2019, in
   :mod:`reviews.assignment.lift`). Start from the plain optimum. For a
   target ``tau``, repeatedly take the worst paper ``p`` below ``tau`` and find
   an augmenting path in the residual graph: ``p`` swaps its weakest reviewer
   ``a`` for a better candidate ``b``; if ``b`` is full, one of ``b``'s papers
   swaps ``b`` for another of its candidates, and so on until a reviewer with
   spare load is reached (or ``a`` itself, closing a cycle). Every paper on the
   path keeps ``>= tau`` (or, if already below, does not lose). A
   breadth-first search over reviewers finds the shortest such path, preferring
   the largest gain for ``p``; each search is a few vectorised numpy passes over
   the arcs. ``tau`` is bisected between the current minimum and an upper bound
   (each paper's best ``k`` candidates). A failed target is not rolled back: no
   move ever lowers the minimum, so a failed round is still progress.
   The search is greedy, so where it ends depends on the way in. Phase 1 runs
   it three times (:func:`_lift_portfolio`): on each paper's best 60, 40 and
   80 candidates (``LIFT_TOPS``), each run then going on over all arcs, and
   keeps the best. Issue 17's second round measured this on one seed of five
   families: 0.2-1.1% higher than one lift on all arcs, in half the time at
   200 candidates a paper (7 s instead of 14 s at 2,000 x 1,500).
2. **Restore the total.** Lifting moves experts greedily and costs total
   affinity. Let ``X`` be the lifted assignment and ``tau*`` its minimum. Keep
   ``X`` on a set ``F`` of protected papers (initially those the plain optimum
   leaves below ``tau*``) and re-solve everything else as a min-cost max-flow on
   the remaining load. Papers that fall below ``tau*`` join ``F`` and the solve
   repeats from ``X``. It ends because ``F`` only grows (``F`` = all gives back
   ``X``); each round's result is at least as good as ``X`` on the free papers
   (``X`` restricted to them is feasible), so neither the minimum nor the filled
   count nor the total can fall below ``X``'s.

3. **Exact stages on restricted arcs** (:mod:`reviews.assignment.exact`,
   :mod:`~reviews.assignment.floor`, :mod:`~reviews.assignment.merging`):
   on the union of phase 1's local optima, the plain and shaped optima and
   each paper's best ``SUPPORT_TOP`` candidates (it replaced an LP support
   that cost 4-11 s of a 30-s limit), raise the floor step by step with
   CP-SAT -> give the total
   back at that floor by solution merging (a HiGHS MILP on the union of a few
   arc sets: the raised assignment's, then what the LP "best total with every
   paper at that floor" suggests (min-cost flows weighted by its floor rows'
   Lagrange multipliers, its support, the arcs of lowest reduced cost), then
   the plain optimum's).
   Kept when its minimum is higher, or the same with a total at least as high
   (lexicographic, the fairness option's order), within ``EXACT_BUDGET``
   seconds from the start (or ``time_limit``). When it finds no higher
   minimum with time left, phase 2's result is merged the same way. If its
   total still fell below phase 2's, the total is restored afterwards as in
   phase 2 and by merging again, the new minimum as a floor
   (``RESTORE_BUDGET``); with a caller's time limit, whatever phase 3 left of
   it goes to that merging too.

Why plain min-cost flow is unfair: it is linear, so two good reviewers on one
paper are worth exactly as much as one on each of two papers, and scarce experts
pile up on a few papers while their neighbours get leftovers.

Measured with ``bench/assignment.py --sizes medium`` (2,000 x 1,500, k=4, load
6, 2 cores): phases 1-2 lift the minimum 1.140 -> 1.982 (93.5% of the max-min
LP bound 2.119) at 99.50% of the plain total in ~7 s; the local search stalls
where a whole neighbourhood of papers sits just above the minimum and every
path out of it would push one of them below. Phase 3 takes it past 95% of the
LP bound (2.013) and keeps the total above 99.5% in six runs of six:
2.0148-2.0165 (95.07-95.15%) at 99.568-99.579% of the plain total, in 126-130 s
(peak 640-710 MB). The floor raising needs its time: with 30 s less (the
budget before merging), one run of six stopped at 2.0126 (94.97%).
CP-SAT's search is timed, so the minimum varies from run to run. Before
solution merging, the total MILP ran on each paper's best five candidates and
often found nothing in time near the max-min: one run in five ended at 99.26%.
Tried and dropped: CP-SAT maximising the minimum on the same arcs (2.007-2.012:
that objective is flat for a local search); a fourth phase raising the floor on
nearly all 400k arcs (+0.002 on the minimum for up to -0.4% of the total);
large-neighbourhood search with HiGHS on ~300 papers at a time (99.49-99.53%
in 25 s, where merging reaches 99.57% or more). Also dropped (issue 17's
"simpler" candidates, measured on a loaded 2-core machine): the max-min LP
(:mod:`.relax`) with a floor ``T``, then (a) a HiGHS MILP at floor ``T`` on
the LP support plus each paper's best 5 candidates: infeasible at 0.77 of the
LP bound on ``conflicts`` seed 1 and at 0.79 on ``small`` seed 3, where this
module reaches 0.97 and 0.95 (good assignments use candidates deep in a
paper's list, which augmenting paths reach); on all arcs HiGHS found no
solution above 0.81 of the bound on ``small`` (200 x 100) in 60 s; (b) fixing
the LP's integral arcs and a MILP on the papers with fractional ones:
infeasible at 0.77; (c) a min-cost flow that follows the LP's arcs (a
dependent rounding): 0.76-0.83, 25-132 papers under ``T``; (d) that rounding
as the start of phases 1-2: 0.939 and 0.971 of the bound (this module: 0.954,
0.978), and the column-generation LP alone takes 10-25 s at 2,500 x 1,800.
See ``bench/assignment.py`` for the adversarial instance.

Measured on the bench's families (``bench/assignment.py --fair-seconds 30``,
7 families x seeds 1-3, an idle 2-core machine), issue 17's second round
(portfolio lift, phase 3 on the local optima's union) against the first:
``min_ratio`` 0.9488-0.9591 on ``uniform`` (was 0.9367-0.9472), 0.9251-0.9338
on ``skewed`` (0.9199-0.9252), 0.9222-0.9394 on ``idle`` (0.9107-0.9285),
0.9436 on ``loads`` seed 3 (0.938), 0.9387-0.9807 on ``conflicts``
(0.9396-0.9776: seed 3 fell, 0.9487 -> 0.9435), ``small`` and the other
``loads`` seeds unchanged; ``total_ratio`` within -0.0015..+0.002 of the
first round on every row. Both goals hold together on 4 rows of 21; the
total is what is short (0.983-0.996 of the plain total, where the LP at
fair's own minimum allows 0.996-0.9999; on ``small`` seed 3 HiGHS proves the
integral optimum at 0.95 of the LP bound is 0.9933, the LP's 0.9981, so part
of that gap is integrality). At 15,000 x 15,000 with a 30-s limit (the
bench's ``LARGE`` family, seed 1): 29.2 s, 936 MB. Bounds live in
:mod:`reviews.assignment.bounds`.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from numpy.typing import NDArray

from .arcs import rank_in_submission
from .exact import improve
from .lift import EPS, Lifter, lowest_score
from .merging import merge_total
from .shaped import solve_shaped
from .solver import FloatArray, Instance, IntArray, solve_weighted, submission_scores

__all__ = ["restore_total", "solve_fair"]

# (strength, decay) of the shaped starting point; see shaped.py.
SHAPE = (8.0, 0.1)
# Phase 1's runs: each paper's best this many candidates first, then all of
# them (_lift_portfolio; measured in the module docstring).
LIFT_TOPS = (60, 40, 80)
# With a time limit, the share of it after which no further run starts.
LIFT_SHARE = 0.35
# Phase 3 searches the phase-1 runs' arcs, the plain and shaped optima's and
# each paper's best SUPPORT_TOP candidates (exact.py). One seed each of
# conflicts, loads and idle, 12 s of CP-SAT: 3 raised the floor as far as 5
# and 7 or further, on the smallest model.
SUPPORT_TOP = 3
# Up to this many arcs in all, phase 3 searches every one: the union above is
# ~14k arcs at 2,000 x 1,500, and a smaller instance's whole model is no
# larger (``small`` seed 3, 12k arcs: the union stopped at 0.949 of the LP
# bound, where the old LP support reached 0.954).
SUPPORT_ALL_ARCS = 15_000
# The protected set of phase 2 grows by the papers that fell below tau*; at
# worst it ends with everything protected (= the lifted assignment), so the cap
# only trades total for time.
RESTORE_ROUNDS = 30
# Seconds (from the start of solve_fair) phase 3 may run until; see exact.py.
EXACT_BUDGET = 130.0
# Seconds after phase 3 for restoring the total when its MILP ran out of time.
RESTORE_BUDGET = 25.0
# With a caller's time limit, the share of it phase 3 may use: the rest is kept
# for that restoration, so the whole solve ends within the limit (it overran a
# 30 s limit by 25 s on loads seed 3 and skewed seed 2 before).
EXACT_SHARE = 0.8


def solve_fair(
    instance: Instance, *, time_limit: float | None = None
) -> tuple[NDArray[np.bool_], dict[str, float]]:
    """Lift the minimum, then restore the total; returns arcs used and stats.

    ``time_limit`` (seconds) stops the bisection early and bounds the whole
    solve: phase 3 gets ``EXACT_SHARE`` of it, the total's restoration the rest
    (without one, phase 3 may run until ``EXACT_BUDGET`` seconds, plus
    ``RESTORE_BUDGET`` when its MILP runs out of time); the result keeps every
    guarantee, only the minimum may be lower than with more time. Small
    instances finish long before: their CP-SAT stages end with proofs.
    """
    started = time.perf_counter()
    plain = solve_weighted(instance)
    plain_scores = submission_scores(instance, plain)
    with_slots = instance.per_submission > 0
    stats: dict[str, float] = {
        "plain_min": lowest_score(plain_scores, with_slots),
        "plain_total": float(plain_scores.sum()),
    }
    if not instance.arc_submission.size or not with_slots.any():
        return plain, stats

    # The shaped optimum already spreads experts, so lifting from it needs
    # fewer and cheaper paths; the plain optimum stays the fallback start.
    shaped = solve_shaped(instance, strength=SHAPE[0], decay=SHAPE[1])
    shaped_scores = submission_scores(instance, shaped)
    start = shaped
    if lowest_score(shaped_scores, with_slots) < stats["plain_min"]:
        start = plain
    rank = rank_in_submission(instance)
    lifter, optima = _lift_portfolio(
        instance,
        start,
        rank,
        deadline=None if time_limit is None else started + LIFT_SHARE * time_limit,
    )
    lifted_seconds = time.perf_counter() - started
    used, rounds = restore_total(instance, lifter.used, plain_scores)
    scores = submission_scores(instance, used)
    # Both phases keep the plain minimum; the check guards against a bug turning
    # into a worse-than-plain assignment for a chair.
    if lowest_score(scores, with_slots) < stats["plain_min"] - EPS:
        used, scores = plain, plain_scores
    local, local_min = used, lowest_score(scores, with_slots)
    budget = (
        EXACT_BUDGET
        if time_limit is None
        else min(EXACT_BUDGET, EXACT_SHARE * time_limit)
    )
    exact = improve(
        instance,
        used,
        plain,
        support=(
            optima | plain | shaped | (rank < SUPPORT_TOP)
            if rank.size > SUPPORT_ALL_ARCS
            else np.ones(rank.size, dtype=bool)
        ),
        deadline=started + budget,
        restore=lambda lifted: restore_total(instance, lifted, plain_scores)[0],
    )
    exact_used = exact is not None and _better(instance, exact, used)
    merged_late = False
    if exact_used:
        used = exact
    elif time.perf_counter() < started + budget:
        # No higher floor (CP-SAT proved phase 2's minimum best on the LP
        # support, or a stage failed): merging still gives total back at it.
        used = merge_total(instance, used, [plain], deadline=started + budget)
        merged_late = True
    exact_scores = submission_scores(instance, used)
    exact_min, exact_total = lowest_score(exact_scores, with_slots), exact_scores.sum()
    restored = False
    # With a caller's limit, what phase 3 left of it also goes to the total.
    spare = time_limit is not None and time.perf_counter() < started + time_limit - 1
    if (exact_used or merged_late) and (exact_total < scores.sum() - EPS or spare):
        # Phase 3's total MILP ran out of time: its higher minimum was kept
        # (lexicographic order), but lifting it cost total affinity. Give it
        # back with that minimum as a floor (and go on merging in the time
        # phase 3 left of the caller's limit).
        total_budget = (
            budget + RESTORE_BUDGET if time_limit is None else max(time_limit, budget)
        )
        used = _restore(
            instance, used, plain | local, plain_scores, deadline=started + total_budget
        )
        restored = True
    scores = submission_scores(instance, used)
    stats.update(
        local_min=local_min,
        exact_min=exact_min,
        exact_total=float(exact_total),
        restored=float(restored),
        exact_used=float(exact_used),
        merged_late=float(merged_late),
        lifted_min=lowest_score(lifter.scores, with_slots),
        lifted_total=float(lifter.scores.sum()),
        searches=float(lifter.searches),
        paths=float(lifter.paths),
        lift_seconds=lifted_seconds,
        restore_rounds=float(rounds),
        fair_seconds=time.perf_counter() - started,
    )
    return used, stats


def _lift_portfolio(
    instance: Instance,
    start: NDArray[np.bool_],
    rank: IntArray,
    *,
    deadline: float | None,
) -> tuple[Lifter, NDArray[np.bool_]]:
    """Phase 1 from several truncations of the candidate lists; the best lift.

    Each run lifts on every paper's best ``top`` candidates (plus ``start``'s
    arcs), then goes on over all arcs from there. A truncated graph is cheaper
    to search (a path that dumps a strong reviewer on a rich paper's 150th
    candidate is rarely the one needed) and each truncation steers the
    greedy search another way, so the runs end at different minima: the best
    of them beats one run on all arcs (see the module docstring). Returns the
    best run and the union of every run's arcs: different local optima, where
    phase 3 searches. ``rank``: each arc's rank in its paper's candidates.
    """
    first, *others = LIFT_TOPS
    best = _lift_truncated(instance, start, rank < first, deadline=deadline)
    optima = best.used.copy()
    for top in others:
        if deadline is not None and time.perf_counter() > deadline:
            break
        lifter = _lift_truncated(instance, start, rank < top, deadline=deadline)
        optima |= lifter.used
        if _lifted_better(lifter, best):
            best = lifter
    return best, optima


def _lift_truncated(
    instance: Instance,
    start: NDArray[np.bool_],
    top: NDArray[np.bool_],
    *,
    deadline: float | None,
) -> Lifter:
    keep = top | start
    if not keep.all():
        narrow = dataclasses.replace(
            instance,
            arc_submission=instance.arc_submission[keep],
            arc_reviewer=instance.arc_reviewer[keep],
            arc_score=instance.arc_score[keep],
        )
        lifter = Lifter(narrow, start[keep])
        lifter.raise_minimum(deadline=deadline)
        start = np.zeros_like(start)
        start[np.flatnonzero(keep)[lifter.used]] = True
    lifter = Lifter(instance, start)
    lifter.raise_minimum(deadline=deadline)
    return lifter


def _lifted_better(candidate: Lifter, incumbent: Lifter) -> bool:
    new, old = candidate.minimum, incumbent.minimum
    if new > old + EPS:
        return True
    return new >= old - EPS and candidate.scores.sum() > incumbent.scores.sum() + EPS


def _better(
    instance: Instance, candidate: NDArray[np.bool_], incumbent: NDArray[np.bool_]
) -> bool:
    """Lexicographic (the fairness option's order): the same filled count, then
    a higher minimum, or the same minimum and a total at least as high."""
    if candidate.sum() != incumbent.sum():
        return False
    with_slots = instance.per_submission > 0
    new, old = (
        submission_scores(instance, candidate),
        submission_scores(instance, incumbent),
    )
    new_min, old_min = lowest_score(new, with_slots), lowest_score(old, with_slots)
    if new_min > old_min + EPS:
        return True
    return new_min >= old_min - EPS and new.sum() >= old.sum() - EPS


def _restore(
    instance: Instance,
    used: NDArray[np.bool_],
    extra: NDArray[np.bool_],
    plain_scores: FloatArray,
    *,
    deadline: float,
) -> NDArray[np.bool_]:
    """The best total keeping ``used``'s minimum: phase 2's flows outside the
    protected papers, then solution merging with ``extra``'s arcs
    (:func:`reviews.assignment.merging.merge_total`)."""
    restored, _ = restore_total(instance, used, plain_scores)
    start = restored if _better(instance, restored, used) else used
    return merge_total(instance, start, [extra, restored], deadline=deadline)


def restore_total(
    instance: Instance, lifted: NDArray[np.bool_], plain_scores: FloatArray
) -> tuple[NDArray[np.bool_], int]:
    """Phase 2: re-optimise the total outside a growing protected set."""
    with_slots = instance.per_submission > 0
    scores = submission_scores(instance, lifted)
    floor = lowest_score(scores, with_slots) - EPS
    protected = with_slots & (plain_scores < floor)
    best = lifted
    rounds = 0
    for rounds in range(1, RESTORE_ROUNDS + 1):  # noqa: B007 - reported
        candidate = _solve_outside(instance, lifted, protected)
        candidate_scores = submission_scores(instance, candidate)
        fallen = with_slots & ~protected & (candidate_scores < floor)
        if not fallen.any():
            best = candidate
            break
        protected |= fallen
    return best, rounds


def _solve_outside(
    instance: Instance, lifted: NDArray[np.bool_], protected: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Keep ``lifted`` on protected papers, min-cost max-flow for the rest."""
    fixed = lifted & protected[instance.arc_submission]
    free_arcs = ~protected[instance.arc_submission]
    rest = dataclasses.replace(
        instance,
        need=np.where(protected, 0, instance.need),
        free=instance.free
        - np.bincount(instance.arc_reviewer[fixed], minlength=instance.reviewer_count),
        arc_submission=instance.arc_submission[free_arcs],
        arc_reviewer=instance.arc_reviewer[free_arcs],
        arc_score=instance.arc_score[free_arcs],
    )
    used = fixed.copy()
    used[free_arcs] = solve_weighted(rest)
    return used

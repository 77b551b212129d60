"""Fair assignment: raise the lowest per-paper affinity, then the total.

Exact max-min assignment is NP-hard (Stelmakh et al., PeerReview4All), so this is
a heuristic with hard guarantees: the result fills exactly as many slots as the
plain optimum, with as many pairs toward minimum loads, and its lowest
per-paper affinity is never below the plain optimum's.

**The target floor.** While phase 1 runs, the max-min LP bound ``B``
(:func:`reviews.assignment.relax.lp_bound`, the figure the chair sees; no
assignment has a higher lowest score) is solved on the other core (HiGHS
releases the GIL). The lowest paper is raised to ``FLOOR_SHARE`` (95%) of
``B`` and no further: strict max-min buys the last fraction of a percent of
the minimum with whole tenths of a percent of total, and what is not needed
above the target goes to the total (the order is lexicographic in
``min(minimum, target)``, then the total). Issue 17's third round
(``bench/assignment.py --fair-seconds 30``, idle 2 cores; strict max-min in
brackets): ``loads`` seed 1 0.9501 of ``B`` at 0.9974 of the plain total
(1.0 at 0.9937), ``conflicts`` seed 1 0.95 at 0.9980 (0.9807 at 0.9959),
``uniform`` seed 2 0.95 at 0.9927 (0.9591 at 0.9899). Fair mode waits for ``B``
until ``BOUND_SHARE`` of phase 3's budget (16.8 s at 30 s); since its LP stays
in one HiGHS model and starts from the shaped optimum too (:mod:`.relax`) it
comes in 1-15 s on every bench row (``skewed`` took 23 s and ``uniform`` seed
1 27 s before, so they ran without a target: issue 17's sixth round lifted the
minimum to 0.95 on ``uniform`` seed 1, ``loads`` seed 3 and ``skewed`` 1-3,
every row where the integral bound allows it). Without ``B`` (HiGHS gave up
or ran out of time) the order is strictly lexicographic, as before. Phases,
each on integral assignments:

1. **Lift** (FairFlow-style local search, Kobren et al. 2019, in
   :mod:`reviews.assignment.lift`). Start from the plain optimum. For a
   target ``tau``, repeatedly take the worst paper ``p`` below ``tau`` and find
   an augmenting path in the residual graph: ``p`` swaps its weakest reviewer
   ``a`` for a better candidate ``b``; if ``b`` is full, one of ``b``'s papers
   swaps ``b`` for another of its candidates, and so on until a reviewer with
   spare load is reached (or ``a`` itself, closing a cycle). Every paper on the
   path keeps ``>= tau`` (or, if already below, does not lose). ``tau`` is
   bisected between the current minimum and an upper bound, and the search
   ends once the minimum reaches the target (when ``B`` is in); a failed
   target is not rolled back (no move lowers the minimum). The search is
   greedy, so where it ends depends on the way in: three runs
   (:func:`reviews.assignment.lift.lift_portfolio`) on each paper's best 60,
   40 and 80 candidates (``LIFT_TOPS``), each then going on over all arcs; the
   best is kept (0.2-1.1% higher than one run on all arcs, in half the time).
2. **Restore the total.** Let ``X`` be the lifted assignment and ``tau*`` its
   minimum (or the target, if lower). Keep ``X`` on a set ``F`` of protected
   papers (initially those the plain optimum leaves below ``tau*``) and
   re-solve everything else as a min-cost max-flow on the remaining load.
   Papers that fall below ``tau*`` join ``F`` and the solve repeats from ``X``.
   It ends because ``F`` only grows (``F`` = all gives back ``X``), and no
   round is worse than ``X`` on the free papers.
   Above ``SUPPORT_ALL_ARCS`` arcs, **price and branch** at the target then
   picks one generated reviewer set per paper (:mod:`.branching`; it reached
   both goals on ``conflicts`` seed 2 and ``uniform`` seeds 2 and 4, which no
   phase here had), while the other core merges the start with the arcs of
   the sets the LP uses (``uniform`` seed 3, where price and branch often
   left a paper without a set); the higher total is kept. With a time limit
   it may run until ``COLUMN_TAIL`` seconds before it; its first prices come
   from the other core (:func:`reviews.assignment.relax.bound_then_prices`).
3. **Exact stages on restricted arcs** (:mod:`reviews.assignment.exact`,
   :mod:`~reviews.assignment.floor`, :mod:`~reviews.assignment.merging`): on
   the union of phase 1's local optima, the plain and shaped optima and each
   paper's best ``SUPPORT_TOP`` candidates (every arc on small instances),
   CP-SAT raises the floor step by step up to the target, then solution
   merging (HiGHS on the union of a few arc sets: the raised assignment's,
   what the LP "best total at that floor" suggests, the plain optimum's)
   gives the total back at the floor. Kept when better in the order above,
   within ``EXACT_BUDGET`` seconds (or ``EXACT_SHARE`` of ``time_limit``);
   the time it leaves goes to more merging (``RESTORE_BUDGET``).

Why plain min-cost flow is unfair: it is linear, so two good reviewers on one
paper are worth exactly as much as one on each of two papers, and scarce experts
pile up on a few papers while their neighbours get leftovers.

Tried and dropped: CP-SAT
maximising the minimum (a flat landscape for its local search); floor raising
on all 400k arcs; large-neighbourhood search with HiGHS on ~300 papers at a
time; the max-min LP with a floor and (a) a MILP on its support plus each
paper's best 5 (infeasible at 0.77-0.79 of ``B``), (b) fixing its integral
arcs, (c) dependent rounding (0.76-0.83, 25-132 papers under the floor),
(d) that rounding as phase 1's start (0.939-0.971, this module 0.954-0.978);
Lagrangian flows on the floor duals repaired by the lift; subgradient weights.
At 15,000 x 15,000 with a 30-s limit (the bench's ``LARGE`` seed 1): 29.8-30.1 s
at 0.9956 of the plain total (39-44 s at 0.9987 when phase 2 and the lift had
no deadline). Bounds live in :mod:`reviews.assignment.bounds`. The phases
ignore minimum loads: :mod:`.min_loads` repairs the result where they lost any.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import numpy as np
from numpy.typing import NDArray

from .arcs import rank_in_submission
from .branching import raise_by_columns
from .even import start_when_short
from .exact import improve
from .lift import EPS, lift_portfolio, lowest_score
from .merging import merge_total
from .min_loads import SHARE, keep_min_loads
from .relax import bound_then_prices
from .restore import better as _better
from .restore import restore_and_merge as _restore
from .restore import restore_total
from .shaped import solve_shaped
from .solver import Instance, solve_weighted, submission_scores

__all__ = ["restore_total", "solve_fair"]

# The target floor, as a share of the max-min LP bound: no paper needs more, and
# what lifting beyond it would cost in total is kept (see the docstring).
FLOOR_SHARE = 0.95
# (strength, decay) of the shaped starting point; see shaped.py.
SHAPE = (8.0, 0.1)
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
# The LP bound is awaited until this share of phase 3's budget (16.8 s at a
# 30 s limit): on ``uniform`` seed 1 it takes 12-13 s next to the lift.
BOUND_SHARE = 0.7
# The column phase's first prices (relax.bound_then_prices, on the other
# core after the LP bound) are awaited until this share of phase 3's budget.
PRICES_SHARE = 0.8
# With a caller's limit, the column phase may run until this many seconds
# before it (phase 3's stages then get no time when it ran to the end: on
# ``uniform`` the phase needs 7 s of generation and 3-7 s of HiGHS after
# the lift's ~12 s); the rest goes to the final restoration.
COLUMN_TAIL = 3.0
# Seconds of a caller's limit left after the last merge's deadline: its HiGHS
# run overshoots its own limit a little (the bench's rows ended 0.0-0.3 s past
# a 30 s limit), and the result is scored after it.
FINISH = 0.5
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
    round_seconds = time.perf_counter() - started  # phase 2's first round, about
    plain_scores = submission_scores(instance, plain)
    with_slots = instance.per_submission > 0
    stats: dict[str, float] = {
        "plain_min": lowest_score(plain_scores, with_slots),
        "plain_total": float(plain_scores.sum()),
    }
    if not instance.arc_submission.size or not with_slots.any():
        return plain, stats
    want = bool(instance.want.any())

    # The shaped optimum already spreads experts, so lifting from it needs
    # fewer and cheaper paths; the plain optimum stays the fallback start.
    shaped = solve_shaped(instance, strength=SHAPE[0], decay=SHAPE[1])
    shaped_scores = submission_scores(instance, shaped)
    start = shaped
    if lowest_score(shaped_scores, with_slots) < stats["plain_min"]:
        start = plain
    if plain.sum() < instance.need.sum():
        # Too few reviewers for every slot: the phases keep the start's count
        # per paper (even.py solves it exactly or spreads the counts).
        start, final = start_when_short(instance, plain, start, time_limit=time_limit)
        if final:
            stats["short_exact"] = 1.0
            return start, stats
    budget = (
        EXACT_BUDGET
        if time_limit is None
        else min(EXACT_BUDGET, EXACT_SHARE * time_limit)
    )
    # The LP bound runs on the other core while the lift runs (HiGHS releases
    # the GIL: 10.0 s and 10.5 s alone, 10.5 s together at 2,000 x 1,500).
    bound_deadline = started + BOUND_SHARE * budget
    prices_deadline = started + PRICES_SHARE * budget
    plain_min = stats["plain_min"]
    bound_future: Future[float | None] = Future()
    arrived: list[float] = []  # when the bound came in (a stat)
    bound_future.add_done_callback(lambda _: arrived.append(time.perf_counter()))
    pool = ThreadPoolExecutor(max_workers=1)
    prices_future = pool.submit(
        bound_then_prices,
        instance,
        plain,
        bound_future,
        deadline=bound_deadline,
        prices=None
        if instance.arc_submission.size <= SUPPORT_ALL_ARCS
        else (lambda bound: max(FLOOR_SHARE * bound, plain_min), prices_deadline),
        start=shaped,
    )
    pool.shutdown(wait=False)
    if instance.arc_submission.size <= SUPPORT_ALL_ARCS:
        # Small instances (milliseconds): the bound first, so the result does
        # not depend on which thread was faster.
        with contextlib.suppress(FutureTimeout):
            bound_future.exception(timeout=max(0.0, bound_deadline - started))

    def target_floor() -> float | None:
        """FLOOR_SHARE of the LP bound once it is in (never below plain's)."""
        if not bound_future.done() or bound_future.exception():
            return None
        bound = bound_future.result()
        return None if bound is None else max(FLOOR_SHARE * bound, plain_min)

    rank = rank_in_submission(instance)
    lifter, optima = lift_portfolio(
        instance,
        start,
        rank,
        deadline=None if time_limit is None else started + LIFT_SHARE * time_limit,
        stop=target_floor,
    )
    lifted_seconds = time.perf_counter() - started
    used, rounds = restore_total(
        instance,
        lifter.used,
        plain_scores,
        deadline=None if time_limit is None else started + budget,
        first_round=round_seconds,
    )
    scores = submission_scores(instance, used)
    # Both phases keep the plain minimum; this guards a chair against a bug.
    if lowest_score(scores, with_slots) < stats["plain_min"] - EPS:
        used, scores = plain, plain_scores
    local, local_min = used, lowest_score(scores, with_slots)
    with contextlib.suppress(FutureTimeout):
        bound_future.exception(
            timeout=max(0.0, bound_deadline - time.perf_counter()) + 1
        )
    target = target_floor()
    if target is not None:
        stats["lp_bound"] = bound_future.result()
        # The callback runs just after the result is set: it may not have yet.
        came = arrived[0] if arrived else time.perf_counter()
        stats["bound_seconds"] = came - started
    columns_used = False
    if target is not None and rank.size > SUPPORT_ALL_ARCS:
        # Price and branch at the target floor first (branching.py): where the
        # configuration LP reaches it, HiGHS on its columns finds the best
        # total there; phase 3 goes on from the better of the two.
        try:
            prices = prices_future.result(
                timeout=max(0.0, prices_deadline - time.perf_counter())
            )
        except Exception:  # late, or failed: only a warm start, zeros do
            prices = None
        found = raise_by_columns(
            instance,
            used,
            target,
            started + (budget if time_limit is None else time_limit - COLUMN_TAIL),
            prices,
        )
        stats["column_prices"] = float(prices is not None)
        columns_used = found is not None and _better(instance, found, used, target)
        if columns_used:
            used = found
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
        restore=lambda lifted: restore_total(
            instance, lifted, plain_scores, target, started + budget, round_seconds
        )[0],
        target=target,
    )
    exact_used = exact is not None and _better(instance, exact, used, target)
    merged_late = False
    if exact_used:
        used = exact
    elif time.perf_counter() < started + budget:
        # No higher floor (CP-SAT proved phase 2's minimum best on the LP
        # support, or a stage failed): merging still gives total back at it.
        used = merge_total(
            instance, used, [plain], deadline=started + budget, floor=target
        )
        merged_late = True
    exact_scores = submission_scores(instance, used)
    exact_min, exact_total = lowest_score(exact_scores, with_slots), exact_scores.sum()
    restored = False
    # With a caller's limit, what phase 3 left of it also goes to the total.
    spare = time_limit is not None and time.perf_counter() < started + time_limit - 1
    if spare or (
        (exact_used or merged_late or columns_used) and exact_total < scores.sum() - EPS
    ):
        # Phase 3's total MILP ran out of time: its higher minimum was kept
        # (lexicographic order), but lifting it cost total affinity. Give it
        # back with that minimum as a floor; and merge on in whatever time is
        # left of the caller's limit, whichever phase's result this is.
        total_budget = (
            budget + RESTORE_BUDGET
            if time_limit is None
            else max(time_limit * (1 - SHARE * want) - FINISH, budget)
        )
        used = _restore(
            instance,
            used,
            plain | local,
            plain_scores,
            deadline=started + total_budget,
            floor=target,
            first_round=round_seconds,
        )
        restored = True
    if want:  # the phases above may take pairs toward minimum loads
        end = (
            time.perf_counter() + RESTORE_BUDGET
            if time_limit is None
            else started + time_limit - FINISH
        )
        used = keep_min_loads(instance, used, plain, rank, deadline=end, target=target)
    scores = submission_scores(instance, used)
    stats.update(
        local_min=local_min,
        exact_min=exact_min,
        exact_total=float(exact_total),
        restored=float(restored),
        exact_used=float(exact_used),
        columns_used=float(columns_used),
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

"""Fair assignment, later stages: LP support -> floor raising -> MILP total.

Used by :mod:`reviews.assignment.fair` after its augmenting-path local search
(whose result ``A`` stays the fallback). :func:`improve` is phase 3, three
solves on restricted arc sets:

1. **LP support.** Bisect a floor ``T`` on the LP "maximise total affinity with
   every paper at least ``T``" (an elastic shortfall per paper keeps it
   feasible; zero shortfall = fractionally reachable) over each paper's best
   ``LP_TOP`` candidates plus ``A``. The union of the arcs the solved LPs use
   is where good integral assignments live.
2. **Raise the floor** (:func:`raise_floor`) on that support plus ``A``'s arcs,
   hinted with ``A``, so it starts at ``A``'s minimum and only goes up. The
   support is small (~13k arcs at 2,000 x 1,500), so CP-SAT proves each step
   reachable or not in seconds: 1.982 -> 2.015 in ~35 s there, where CP-SAT
   maximising the minimum on the same arcs reached 2.007-2.012 in 25 s.
3. **Total** (:func:`merge_total`). HiGHS maximises the total with every
   paper at least step 2's minimum, on the union of a few assignments' arcs:
   step 2's, its flow restoration's and the plain optimum's (lifting the minimum
   costs total, and the plain arcs are what gives it back), then flows that
   favour the papers near the floor, one more per solve while time remains.

:func:`merge_total` is also the caller's restoration when step 3 ran out of
time. Every stage keeps each paper's number of reviewers from ``A``; the caller
compares results on real scores.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, hstack, vstack

from .solver import FloatArray, Instance, IntArray, paper_scores, solve_weighted

__all__ = ["improve", "merge_total", "raise_floor"]

logger = logging.getLogger(__name__)

# Candidates per paper in the LP (stage 1).
LP_TOP = 50
# Floor bisection steps on the LP; each is one HiGHS solve (~1.5 s at 2,000 x
# 1,500).
LP_STEPS = 3
# Shortfall penalty of the elastic LP, per unit of affinity (scores are ~1).
LP_PENALTY = 100.0
# Integer steps across the largest |score| for CP-SAT.
SCALE = 10_000
# Seconds kept for merge_total (at most 45% of what remains after the LP): its
# first three solves give most of the total back in ~10 s at 2,000 x 1,500.
MERGE_RESERVE = 30.0
# merge_total's leaning flows: the extra weight of a paper at the floor, one
# flow per strength, and the band above the floor (a share of it) they favour.
LEAN_STRENGTHS = (0.5, 1.0, 2.0, 4.0)
LEAN_BAND = 0.05
# Seconds for one merging MILP (0.3-9 s each at 2,000 x 1,500): one that finds
# nothing leaves time for the next, which has more arcs to choose from.
MERGE_SOLVE_LIMIT = 10.0
# Scores are ~1: a smaller gain in total or dip below the floor is rounding.
EPS = 1e-9
CP_WORKERS = 2
# raise_floor's target above the current minimum, as a share of it. At
# 2,000 x 1,500 (bench/assignment.py, realistic) on all 400k arcs, a 0.22% step
# from 2.0095 was reached in 66-72 s in three runs of three, a 0.45% step not in
# 100 s; on phase 3's LP support (13k arcs) 0.2% steps take 1-35 s each.
FLOOR_STEP = 0.002
# A raise_floor stage stops after this many seconds without a better solution
# (CP-SAT's large-neighbourhood search cannot prove "unreachable" on big
# models). The longest gap seen at 2,000 x 1,500 before reaching a step: 26 s.
FLOOR_STALL = 20.0
# Consecutive stages that neither lift the minimum nor cut the shortfall
# before the search is given up.
FLOOR_IDLE_STAGES = 2
FLOOR_NEAR = 0.15
FLOOR_TOP = 40
# Models with more arcs than this run LNS workers only: the full-problem worker
# spends its time on a root LP that bounds nothing here. Smaller ones keep the
# default portfolio, which proves a step unreachable and stops at once.
FLOOR_LNS_ONLY_ARCS = 50_000


def improve(
    instance: Instance,
    current: NDArray[np.bool_],
    extra: NDArray[np.bool_],
    *,
    deadline: float,
    restore: Callable[[NDArray[np.bool_]], NDArray[np.bool_]] | None = None,
) -> NDArray[np.bool_] | None:
    """A (hopefully) fairer assignment with each paper's count from ``current``.

    ``extra`` marks arcs offered to the total MILP (the plain optimum).
    ``restore`` (the caller's flow-based restoration of the total, keeping the
    minimum) adds its arcs too. Returns None when a stage fails.
    """
    restore = restore or (lambda used: used)
    paper = instance.arc_paper
    count = np.bincount(paper[current], minlength=instance.paper_count)
    if not count.any() or time.perf_counter() >= deadline:
        return None
    rank = _rank_in_paper(instance)
    open_arcs = count[paper] > 0  # a paper's count never changes here

    def top(size: int) -> NDArray[np.bool_]:
        return (rank < size) & open_arcs

    scores = paper_scores(instance, current)
    active = count > 0
    low = float(scores[active].min())
    high = float(
        (
            instance.base_score
            + np.bincount(
                paper,
                weights=np.where(rank < count[paper], instance.arc_score, 0.0),
                minlength=instance.paper_count,
            )
        )[active].min()
    )
    support = _lp_support(instance, top(LP_TOP) | current, count, low, high, deadline)
    if support is None:
        logger.info("improve: no LP support in time")
        return None
    reserve = min(MERGE_RESERVE, 0.45 * (deadline - time.perf_counter()))
    allowed = support | current
    restricted = dataclasses.replace(
        instance,
        arc_paper=paper[allowed],
        arc_reviewer=instance.arc_reviewer[allowed],
        arc_score=instance.arc_score[allowed],
    )
    raised = raise_floor(restricted, current[allowed], deadline=deadline - reserve)
    if raised is None:
        return None
    columns = np.flatnonzero(allowed)

    def widen(used: NDArray[np.bool_]) -> NDArray[np.bool_]:
        full = np.zeros(paper.size, dtype=bool)
        full[columns[used]] = True
        return full

    lifted = widen(raised)
    logger.info(
        "improve: floor on the LP support %s -> %s",
        low,
        paper_scores(instance, lifted)[active].min(),
    )
    # Give the total back at the raised floor: the flow restoration keeps
    # lifted's minimum and only adds total, so it is the start; merging it with
    # the plain optimum (which carries the total) and lifted does the rest.
    start = restore(lifted)
    return merge_total(instance, start, [extra & open_arcs, lifted], deadline=deadline)


def raise_floor(
    instance: Instance,
    current: NDArray[np.bool_],
    *,
    deadline: float,
) -> NDArray[np.bool_] | None:
    """Lift the lowest paper a step at a time with CP-SAT, on any arc set.

    Each stage keeps every paper at or above the current minimum ``m`` and
    minimises the summed shortfall below ``T = m + FLOOR_STEP * m``. Why this
    and not "maximise the minimum": that objective only moves when every paper
    at the minimum moves at once, so a local search sees a flat landscape, while
    the summed shortfall rewards each paper lifted (on all 400k arcs of the
    2,000 x 1,500 bench instance CP-SAT maximising the minimum made no progress
    in 90 s; the shortfall reached the next step in ~70 s). Big models have no
    useful LP bound, so CP-SAT runs its large-neighbourhood-search workers only
    there.
    Papers far above the minimum keep only their best ``FLOOR_TOP`` candidates.

    A stage that reaches ``T`` (shortfall 0, proven at once) starts the next
    from its result. A stage that stalls (``FLOOR_STALL`` seconds without a
    better solution) hands its solution, same floor and less shortfall, to the
    next stage with another seed; ``FLOOR_IDLE_STAGES`` stages in a row without
    progress, a proof that ``T`` is unreachable (small models), or the deadline
    end the loop. The result keeps each paper's count and costs total affinity
    (nothing rewards it here): the caller restores the total with the new
    minimum as a floor. Returns the last stage that raised the minimum, or None.
    """
    paper = instance.arc_paper
    count = np.bincount(paper[current], minlength=instance.paper_count)
    active = count > 0
    if not active.any() or time.perf_counter() >= deadline:
        return None
    value, scale = _scaled(instance)
    value = value.astype(np.int64)
    base = np.rint(instance.base_score * scale).astype(np.int64)
    # Papers near the minimum may take any candidate; the others keep their
    # reviewers or take one of their best FLOOR_TOP: they only need to hand
    # an expert over and stay above the target, and the model shrinks ~3x.
    scores = paper_scores(instance, current)
    lowest = float(scores[active].min())
    near = scores <= lowest + FLOOR_NEAR * abs(lowest)
    open_arcs = np.flatnonzero(
        active[paper] & (near[paper] | (_rank_in_paper(instance) < FLOOR_TOP) | current)
    )
    cp = paper[open_arcs]
    cr = instance.arc_reviewer[open_arcs]
    by_paper = np.argsort(cp, kind="stable")
    paper_cuts = np.searchsorted(cp[by_paper], np.arange(instance.paper_count + 1))
    by_reviewer = np.argsort(cr, kind="stable")
    reviewer_cuts = np.searchsorted(
        cr[by_reviewer], np.arange(instance.reviewer_count + 1)
    )
    best = None
    stage = idle = 0
    while time.perf_counter() < deadline:
        stage += 1
        held = current[open_arcs]
        reached = base + np.bincount(
            cp[held], weights=value[open_arcs][held], minlength=instance.paper_count
        ).astype(np.int64)
        floor = int(reached[active].min())
        target = floor + max(1, int(FLOOR_STEP * abs(floor)))
        model = cp_model.CpModel()
        x = [model.new_bool_var("") for _ in range(open_arcs.size)]
        shortfalls = []
        for p in np.flatnonzero(active).tolist():
            sel = by_paper[paper_cuts[p] : paper_cuts[p + 1]].tolist()
            xs = [x[j] for j in sel]
            model.add(sum(xs) == int(count[p]))
            score = cp_model.LinearExpr.weighted_sum(
                xs, value[open_arcs[sel]].tolist()
            ) + int(base[p])
            short = model.new_int_var(0, target - floor, "")
            model.add(score + short >= target)
            model.add_hint(short, max(0, target - int(reached[p])))
            shortfalls.append(short)
        for r in range(instance.reviewer_count):
            lo, hi = reviewer_cuts[r], reviewer_cuts[r + 1]
            if hi - lo > instance.free[r]:
                sel = by_reviewer[lo:hi].tolist()
                model.add(sum(x[j] for j in sel) <= int(instance.free[r]))
        for j, on in enumerate(held.tolist()):
            model.add_hint(x[j], on)
        model.minimize(sum(shortfalls))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
        solver.parameters.num_workers = CP_WORKERS
        solver.parameters.random_seed = stage
        if open_arcs.size > FLOOR_LNS_ONLY_ARCS:
            solver.parameters.use_lns_only = True
            # Symmetry detection on a 400k-variable model costs seconds and
            # helps only proofs, which LNS never makes.
            solver.parameters.symmetry_level = 0
        status = _solve_until_stall(solver, model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        lifted = np.zeros(paper.size, dtype=bool)
        lifted[open_arcs] = [solver.boolean_value(v) for v in x]
        scores = base + np.bincount(
            cp[lifted[open_arcs]],
            weights=value[open_arcs][lifted[open_arcs]],
            minlength=instance.paper_count,
        ).astype(np.int64)
        logger.info(
            "raise_floor: target %s, shortfall %s, minimum %s -> %s",
            target / scale,
            solver.objective_value / scale,
            floor / scale,
            scores[active].min() / scale,
        )
        shortfall = round(solver.objective_value)
        if int(scores[active].min()) > floor:
            best, idle = lifted, 0
        elif shortfall < int(np.maximum(target - reached[active], 0).sum()):
            idle = 0
        else:
            idle += 1
        if status == cp_model.OPTIMAL and shortfall > 0:
            break  # proven: no assignment reaches the target
        if idle >= FLOOR_IDLE_STAGES:
            break
        # Not reached (stalled): the next stage starts from this solution (same
        # floor, less shortfall) with another seed, which diversifies the LNS.
        current = lifted
    return best


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.last = time.perf_counter()

    def on_solution_callback(self) -> None:
        self.last = time.perf_counter()


def _solve_until_stall(solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
    """``solver.solve`` that also stops after ``FLOOR_STALL`` idle seconds."""
    progress = _Progress()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.5):
            if time.perf_counter() - progress.last > FLOOR_STALL:
                solver.stop_search()
                return

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        return solver.solve(model, progress)
    finally:
        done.set()
        watchdog.join()


def merge_total(
    instance: Instance,
    current: NDArray[np.bool_],
    pool: Iterable[NDArray[np.bool_]],
    *,
    deadline: float,
) -> NDArray[np.bool_]:
    """The best total found with every paper at least ``current``'s minimum.

    Solution merging: HiGHS maximises the total, each paper at least the floor
    and at its count from ``current``, on the union of a few good
    assignments' arcs only; the union grows by one assignment per solve: the
    ``pool`` (the plain optimum, which carries the total; other good
    assignments), then min-cost flows leaning towards the papers near the floor
    (:func:`_leaning_flows`). ``current`` is always among the arcs, so every
    model is feasible; the best total so far is kept, and returned when time
    runs out (``current`` if nothing better was found).

    Why not the usual "each paper's best candidates": that MILP (~15k arcs at
    2,000 x 1,500) often found no feasible point in 30-40 s near the max-min,
    where the union of two or three assignments (~10k arcs, each paper only a
    handful of options) solves to optimality in 0.3-5 s. Measured on the bench
    instance at a floor of 2.0148 (plain total = 100%): the lifted assignment
    99.28%; merged with the plain optimum and the flow restoration 99.54% in
    2.4 s; with four leaning flows 99.60% after 25 s; the best-candidates MILP,
    when it solved at all, 99.58%.
    """
    paper = instance.arc_paper
    count = np.bincount(paper[current], minlength=instance.paper_count)
    active = count > 0
    if not active.any():
        return current
    scores = paper_scores(instance, current)
    floor = float(scores[active].min())
    open_arcs = active[paper]
    best, best_total = current, float(scores.sum())
    arcs = current.copy()
    for extra in itertools.chain(pool, _leaning_flows(instance, scores, floor)):
        if time.perf_counter() >= deadline:
            break
        added = extra & open_arcs & ~arcs
        if not added.any():
            continue
        arcs |= added
        limit = min(deadline, time.perf_counter() + MERGE_SOLVE_LIMIT)
        found = _max_total(instance, arcs | best, count, floor, limit)
        if found is None:
            logger.info("merge_total: no solution on %s arcs in time", arcs.sum())
            continue
        found_scores = paper_scores(instance, found)
        total = float(found_scores.sum())
        # HiGHS's feasibility tolerance: a floor broken by rounding is refused.
        if found_scores[active].min() >= floor - EPS and total > best_total + EPS:
            best, best_total = found, total
        logger.info("merge_total: %s arcs, total %s", arcs.sum(), best_total)
    return best


def _leaning_flows(
    instance: Instance, scores: FloatArray, floor: float
) -> Iterator[NDArray[np.bool_]]:
    """Max-total flows with papers near the floor weighted up (lazily).

    A paper at the floor counts ``1 + c`` times, one ``LEAN_BAND`` above it or
    higher once, linearly in between: a cheap stand-in for the Lagrange
    multipliers of the floor rows, whose optimal flows mix total and fairness.
    Their own minimum is poor (0.92-1.00 on the bench instance, floor 2.01),
    but their arcs let the merging MILP trade between the two.
    """
    band = LEAN_BAND * max(abs(floor), EPS)
    nearness = np.clip((floor + band - scores) / band, 0.0, 1.0)
    for strength in LEAN_STRENGTHS:
        yield solve_weighted(instance, paper_weight=1.0 + strength * nearness)


def _rank_in_paper(instance: Instance) -> IntArray:
    """Each arc's rank among its paper's candidates, best score first (0)."""
    paper = instance.arc_paper
    order = np.lexsort((-instance.arc_score, paper))
    first = np.searchsorted(paper[order], np.arange(instance.paper_count + 1))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - first[paper[order]]
    return rank


def _rows(
    instance: Instance, columns: IntArray, count: IntArray, extra: int
) -> tuple[coo_matrix, coo_matrix, coo_matrix, IntArray]:
    """Fill, load and score rows over ``columns`` (+ ``extra`` free columns)."""
    n = columns.size
    width = n + extra
    cp = instance.arc_paper[columns]
    active = np.flatnonzero(count > 0)
    row = np.full(instance.paper_count, -1)
    row[active] = np.arange(active.size)
    ok = row[cp] >= 0
    cols = np.flatnonzero(ok)
    fill = coo_matrix((np.ones(cols.size), (row[cp[ok]], cols)), (active.size, width))
    loads = coo_matrix(
        (np.ones(n), (instance.arc_reviewer[columns], np.arange(n))),
        (instance.reviewer_count, width),
    )
    value = instance.arc_score[columns]
    score = coo_matrix((value[ok], (row[cp[ok]], cols)), (active.size, width))
    return fill, loads, score, active


def _lp_support(
    instance: Instance,
    allowed: NDArray[np.bool_],
    count: IntArray,
    low: float,
    high: float,
    deadline: float,
) -> NDArray[np.bool_] | None:
    columns = np.flatnonzero(allowed)
    n = columns.size
    fill, loads, score, active = _rows(instance, columns, count, 0)
    m = active.size
    shortfall = coo_matrix((np.ones(m), (np.arange(m), np.arange(m))), (m, m))
    a_ub = vstack(
        [
            hstack([loads, coo_matrix((instance.reviewer_count, m))]),
            -hstack([score, shortfall]),
        ]
    ).tocsr()
    a_eq = hstack([fill, coo_matrix((m, m))]).tocsr()
    cost = np.concatenate([-instance.arc_score[columns], np.full(m, LP_PENALTY)])
    bounds = np.zeros((n + m, 2))
    bounds[:n, 1] = 1.0
    bounds[n:, 1] = np.inf
    support = np.zeros(allowed.size, dtype=bool)
    solved = False
    target = high
    for _ in range(LP_STEPS):
        if time.perf_counter() > deadline:
            break
        result = linprog(
            cost,
            A_ub=a_ub,
            b_ub=np.concatenate(
                [instance.free, -(target - instance.base_score[active])]
            ),
            A_eq=a_eq,
            b_eq=count[active],
            bounds=bounds,
            method="highs",
        )
        if result.status != 0:
            break
        solved = True
        if result.x[n:].sum() <= 1e-6:
            support[columns[result.x[:n] > 1e-7]] = True
            low = target
        else:
            high = target
        target = 0.5 * (low + high)
    if solved and support.any() and time.perf_counter() < deadline:
        # One more LP at the best floor with a perturbed total: a vertex is
        # nearly integral, and a second one widens the support CP-SAT gets.
        noise = np.random.default_rng(0).uniform(0.7, 1.3, n)
        result = linprog(
            np.concatenate([cost[:n] * noise, cost[n:]]),
            A_ub=a_ub,
            b_ub=np.concatenate([instance.free, -(low - instance.base_score[active])]),
            A_eq=a_eq,
            b_eq=count[active],
            bounds=bounds,
            method="highs",
        )
        if result.status == 0:
            support[columns[result.x[:n] > 1e-7]] = True
    return support if solved else None


def _scaled(instance: Instance) -> tuple[FloatArray, float]:
    largest = max(
        float(np.abs(instance.arc_score).max()) if instance.arc_score.size else 0.0,
        float(np.abs(instance.base_score).max()),
        1e-12,
    )
    scale = SCALE / largest
    return np.rint(instance.arc_score * scale), scale


def _max_total(
    instance: Instance,
    allowed: NDArray[np.bool_],
    count: IntArray,
    floor: float,
    deadline: float,
) -> NDArray[np.bool_] | None:
    limit = deadline - time.perf_counter()
    if limit <= 0.1:
        return None
    columns = np.flatnonzero(allowed)
    fill, loads, score, active = _rows(instance, columns, count, 0)
    constraints = [
        LinearConstraint(fill, count[active], count[active]),
        LinearConstraint(loads, -np.inf, instance.free),
        LinearConstraint(score, floor - instance.base_score[active] - 1e-7, np.inf),
    ]
    result = milp(
        -instance.arc_score[columns],
        constraints=constraints,
        integrality=np.ones(columns.size),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": limit, "disp": False},
    )
    if result.x is None:
        return None
    used = np.zeros(allowed.size, dtype=bool)
    used[columns] = result.x > 0.5
    # Tolerances: an arc set that breaks a count or a load is discarded.
    if (
        not np.array_equal(
            np.bincount(instance.arc_paper[used], minlength=instance.paper_count), count
        )
        or (
            np.bincount(instance.arc_reviewer[used], minlength=instance.reviewer_count)
            > instance.free
        ).any()
    ):
        return None
    return used

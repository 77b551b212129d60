"""Fair assignment, phase 3 step 2: raise the floor with CP-SAT.

:func:`raise_floor` lifts the lowest paper a step at a time on any arc set; the
caller (:func:`reviews.assignment.exact.improve`) runs it on the LP support plus
the current assignment's arcs, hinted with that assignment, so it starts at its
minimum and only goes up.
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from .arcs import rank_in_submission
from .solver import FloatArray, Instance, submission_scores

__all__ = ["raise_floor"]

logger = logging.getLogger(__name__)

# Integer steps across the largest |score| for CP-SAT.
SCALE = 10_000
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


def raise_floor(
    instance: Instance,
    current: NDArray[np.bool_],
    *,
    deadline: float,
    ceiling: float | None = None,
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
    With a ``ceiling`` (fair mode's target floor), no target goes above it and
    the loop ends once it is reached.
    """
    submission = instance.arc_submission
    count = np.bincount(submission[current], minlength=instance.submission_count)
    active = count > 0
    if not active.any() or time.perf_counter() >= deadline:
        return None
    value, scale = _scaled(instance)
    value = value.astype(np.int64)
    cap = None if ceiling is None else int(np.floor(ceiling * scale))
    base = np.rint(instance.base_score * scale).astype(np.int64)
    # Papers near the minimum may take any candidate; the others keep their
    # reviewers or take one of their best FLOOR_TOP: they only need to hand
    # an expert over and stay above the target, and the model shrinks ~3x.
    scores = submission_scores(instance, current)
    lowest = float(scores[active].min())
    near = scores <= lowest + FLOOR_NEAR * abs(lowest)
    open_arcs = np.flatnonzero(
        active[submission]
        & (near[submission] | (rank_in_submission(instance) < FLOOR_TOP) | current)
    )
    cp = submission[open_arcs]
    cr = instance.arc_reviewer[open_arcs]
    by_submission = np.argsort(cp, kind="stable")
    submission_cuts = np.searchsorted(
        cp[by_submission], np.arange(instance.submission_count + 1)
    )
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
            cp[held],
            weights=value[open_arcs][held],
            minlength=instance.submission_count,
        ).astype(np.int64)
        floor = int(reached[active].min())
        if cap is not None and floor >= cap:
            break
        target = floor + max(1, int(FLOOR_STEP * abs(floor)))
        if cap is not None:
            target = min(target, cap)
        model = cp_model.CpModel()
        x = [model.new_bool_var("") for _ in range(open_arcs.size)]
        shortfalls = []
        for p in np.flatnonzero(active).tolist():
            sel = by_submission[submission_cuts[p] : submission_cuts[p + 1]].tolist()
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
        lifted = np.zeros(submission.size, dtype=bool)
        lifted[open_arcs] = [solver.boolean_value(v) for v in x]
        scores = base + np.bincount(
            cp[lifted[open_arcs]],
            weights=value[open_arcs][lifted[open_arcs]],
            minlength=instance.submission_count,
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


def _scaled(instance: Instance) -> tuple[FloatArray, float]:
    largest = max(
        float(np.abs(instance.arc_score).max()) if instance.arc_score.size else 0.0,
        float(np.abs(instance.base_score).max()),
        1e-12,
    )
    scale = SCALE / largest
    return np.rint(instance.arc_score * scale), scale

"""Price and branch on the configuration LP (:mod:`.columns`): integral
assignments with every paper at a floor and the most total among the sets
column generation found.

**Price and branch.** HiGHS picks one column per paper within the loads, on
the same model with binary columns: every column reaches the floor, so what it
finds is feasible. On ``uniform`` the LP splits ~300 of 2,000 papers and
HiGHS on all ~11k columns finds nothing better than the start in 5 s (its
root LP alone takes 2 s). So first *fix and repair*: the columns the LP takes
whole are fixed, each split paper gets its best ``ENRICH_SETS`` sets under the
last duals as extra options, and HiGHS picks the split papers' sets, a
paper's artificial column allowed at its loss; where a paper is left without
a set, the whole columns sharing a reviewer with its options are freed and
HiGHS goes on. Then every column, from what that found. Tried and dropped:
fixing only the whole columns away from every split one (422 of 1,709 on
``uniform`` seed 2: too few to make the MIP small); price and dive (fix,
regenerate, fix again: 0.5-4 s a step, out of time with 30-80 papers open);
patching the papers left without a set from reviewers with load to spare,
by HiGHS or by augmenting paths (stuck); CP-SAT on the columns (0.988 in
5 s).

**Merging on the other core.** Where it failed: on ``uniform`` seed 3 one
to five papers stay without a set whatever is freed (neither longer HiGHS
runs, freeing the way wider, completing them by HiGHS on the arcs around
them, nor generating new sets with the fixings in place got them one in
the time), and HiGHS on every column from the start then found more total
in only some runs (3 of 7 reached 0.995 of the plain total; the others
ended at 0.991). Meanwhile the other core is idle: the bound's thread is
done. So while price and branch runs, HiGHS also solves the *arc* model
(:func:`reviews.assignment.merging.best_total_on`) on the start's arcs and
the arcs of every set the LP uses: each paper then has its own options
mixed with what its neighbours give up, which no single column holds.
Measured on ``uniform`` seed 3's masters where price and branch found
nothing better than the start (0.99124): 0.99610-0.99614 in 4-5 s (the LP
gives 0.99618); in fair mode, 6 runs of 6 reach the goal. The higher total
of the two at the floor is kept (``uniform`` seed 1: 0.9902 where price and
branch gave 0.9734, in one run; elsewhere price and branch's, as before).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import highspy
import numpy as np
from numpy.typing import NDArray

from .columns import CLOSE_GAP, Column, Master, generate
from .lagrange import top_sets
from .lift import EPS
from .merging import SUPPORT, best_total_on
from .solver import FloatArray, Instance, IntArray, submission_scores

__all__ = ["configuration_bound", "raise_by_columns"]

# raise_by_columns: the share of its time column generation may use; price
# and branch gets the rest.
GENERATION_SHARE = 0.5
# Fix and repair: each split paper's best sets added as options, and the
# share of price and branch's time it gets (each HiGHS run up to
# REPAIR_ROUND seconds while some paper is left without a set).
ENRICH_SETS = 20
FIX_SHARE = 0.85
REPAIR_ROUND = 0.6


def configuration_bound(
    instance: Instance,
    count: IntArray,
    floor: float,
    start: NDArray[np.bool_],
    *,
    prices: FloatArray | None = None,
    rounds: int = 60,
    deadline: float | None = None,
    mip_seconds: float = 0.0,
) -> tuple[float | None, float, NDArray[np.bool_] | None]:
    """The configuration LP by column generation: ``(bound, master, found)``.

    ``start``'s sets, where they have the count and reach the floor, are the
    first columns; ``prices`` (e.g. the LP's load duals) add each paper's best
    set under them, and bound at once. ``bound`` is the least ``L`` seen (an
    upper bound on every integral total at the floor; None if a paper cannot
    reach the floor), ``master`` the restricted LP's value (a lower bound on
    the configuration LP: how far from converged the loop stopped). With
    ``mip_seconds``, ``found`` is price and branch's assignment (a mask of
    arcs with every paper at its count and the floor, within the loads), else
    None.
    """
    master, bound = generate(instance, count, floor, start, prices, rounds, deadline)
    if bound is None or mip_seconds <= 0:
        return bound, master.value, None
    return bound, master.value, best_integral(master, mip_seconds)


def raise_by_columns(
    instance: Instance,
    used: NDArray[np.bool_],
    floor: float,
    deadline: float,
    prices: FloatArray | None = None,
) -> NDArray[np.bool_] | None:
    """Fair mode's column phase: the most total found with every paper at
    ``floor`` and ``used``'s counts, by ``deadline`` (None if none was).
    ``prices``: load duals to start from (the LP's at the floor)."""
    count = np.bincount(
        instance.arc_submission[used], minlength=instance.submission_count
    )
    left = deadline - time.perf_counter()
    master, bound = generate(
        instance,
        count,
        floor,
        used,
        # Each paper's best set at the floor under these prices first.
        np.zeros(instance.reviewer_count) if prices is None else prices,
        rounds=200,
        deadline=time.perf_counter() + GENERATION_SHARE * left,
        gap=CLOSE_GAP,
        smooth=prices is not None,
    )
    seconds = deadline - time.perf_counter()
    if bound is None or seconds <= 0 or master.uses_artificial():
        # The floor is out of reach (or the LP has no set for some paper):
        # the time left is the caller's.
        return None
    support = np.zeros(instance.arc_submission.size, dtype=bool)
    for value, (_, arcs) in zip(master.values(), master.columns, strict=True):
        if value > SUPPORT:
            support[arcs] = True
    enrich(master, ENRICH_SETS)
    # Solution merging on the other core meanwhile (the bound's thread is done
    # by now, unless its prices came late; HiGHS releases the GIL): the arcs
    # of ``used`` and of the LP's support. Where price and branch's repair
    # leaves a paper without a set, the arc model still has each paper's own
    # sets mixed with its neighbours'.
    with ThreadPoolExecutor(max_workers=1) as pool:
        merging = pool.submit(
            best_total_on, instance, used | support, count, floor, deadline
        )
        found = best_integral(master, deadline - time.perf_counter())
        merged = merging.result()
    return _higher_total(instance, count, floor, found, merged)


def _higher_total(
    instance: Instance,
    count: IntArray,
    floor: float,
    *found: NDArray[np.bool_] | None,
) -> NDArray[np.bool_] | None:
    """The assignment with the most total among those keeping every paper
    with reviewers (``count``) at ``floor`` (None if none does). The counts
    and loads hold by construction: price and branch picks one set of each
    paper's count, and ``best_total_on`` refuses any other; its floor is
    HiGHS's, within tolerances, so the real scores are checked here (to
    fair mode's ``EPS``, as its comparison does)."""
    best, best_total = None, -np.inf
    active = count > 0
    for used in found:
        if used is None:
            continue
        scores = submission_scores(instance, used)
        if scores[active].min(initial=np.inf) >= floor - EPS and (
            scores.sum() > best_total
        ):
            best, best_total = used, float(scores.sum())
    return best


def enrich(master: Master, many: int) -> int:
    """Each paper the last LP splits gets its best ``many`` sets reaching
    the floor under the last load duals, as columns; how many were new."""
    instance, groups = master.instance, master.groups
    x = master.values()
    owner = np.array([p for p, _ in master.columns])
    value = instance.arc_score - master.mu[instance.arc_reviewer]
    new: list[Column] = []
    for p in np.unique(owner[(x > 1e-6) & (x < 1 - 1e-6)]).tolist():
        arcs = groups.order[groups.cuts[p] : groups.cuts[p + 1]]
        sets = top_sets(
            value[arcs],
            instance.arc_score[arcs],
            int(groups.count[p]),
            groups.need[p],
            many,
        )
        new.extend((p, arcs[chosen]) for chosen in sets)
    return master.add(new)


def best_integral(master: Master, seconds: float) -> NDArray[np.bool_] | None:
    """HiGHS: one column per paper within the loads, most total, for up to
    ``seconds``: fix and repair (:func:`_repair`) for ``FIX_SHARE`` of
    the time, then every column from the best start known: the repair's,
    or the start's columns where they cover every paper."""
    deadline = time.perf_counter() + seconds
    master.highs.setOptionValue("solver", "choose")  # branch and bound's own
    n = len(master.columns)
    every = np.arange(n, dtype=np.int32)
    master.highs.changeColsIntegrality(
        n, every, np.full(n, highspy.HighsVarType.kInteger)
    )
    covered = {master.columns[j][0] for j in master.starting}
    # A partial start (HiGHS completes it) led its search astray:
    # conflicts seed 2, 6 s: 0.9737 of the plain total, 0.9946 without.
    best = (
        np.array(master.starting, dtype=np.int32)
        if len(covered) == np.count_nonzero(master.row_of >= 0)
        else None
    )
    repaired = _repair(master, best, time.perf_counter() + FIX_SHARE * seconds)
    if repaired is not None:
        best = repaired
    left = deadline - time.perf_counter()
    if left > 0:
        upper = np.array([float(arcs.size > 0) for _, arcs in master.columns])
        master.highs.changeColsBounds(n, every, np.zeros(n), upper)
        found = _run(master, left, best)
        if found is not None:
            best = found
    if best is None:
        return None
    chosen = np.zeros(master.instance.arc_submission.size, dtype=bool)
    for j in best.tolist():
        chosen[master.columns[j][1]] = True
    return chosen


def _repair(master: Master, start: IntArray | None, stop: float) -> IntArray | None:
    """Fix and repair until ``stop``: the columns the last LP takes whole
    are fixed and HiGHS picks the other papers' sets, an artificial
    column (no set) allowed at its loss; the fixed columns sharing a
    reviewer with the options of a paper left without a set are freed
    and HiGHS goes on from there. Returns the best found once every
    paper has a set (None if none had by ``stop``)."""
    n = len(master.columns)
    every = np.arange(n, dtype=np.int32)
    owner = np.array([p for p, _ in master.columns])
    artificial = np.array([arcs.size == 0 for _, arcs in master.columns])
    lower = (master.values() > 1 - 1e-6).astype(float)
    current = start
    while (left := stop - time.perf_counter()) > 0:
        master.highs.changeColsBounds(n, every, lower, np.ones(n))
        found = _run(master, min(left, REPAIR_ROUND), current)
        if found is None:
            return None
        current = found
        failing = owner[current[artificial[current]]]
        if not failing.size:
            left = stop - time.perf_counter()
            if master.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                # Every paper has a set: the rest of the time on this
                # smaller model, from there.
                found = _run(master, left, current) if left > 0 else None
                current = current if found is None else found
            return current
        wanted = np.zeros(master.instance.reviewer_count, dtype=bool)
        for j in np.flatnonzero(np.isin(owner, failing) & ~artificial).tolist():
            wanted[master.instance.arc_reviewer[master.columns[j][1]]] = True
        freed = [
            j
            for j in np.flatnonzero(lower).tolist()
            if wanted[master.instance.arc_reviewer[master.columns[j][1]]].any()
        ]
        if not freed:
            return None
        lower[freed] = 0.0
    return None


def _run(master: Master, seconds: float, start: IntArray | None) -> IntArray | None:
    """HiGHS's branch and bound on the model as it is, from ``start``;
    the columns of the best solution (None if none was found)."""
    # A MIP's time limit counts its own run only (unlike an LP's).
    master.highs.setOptionValue("time_limit", max(seconds, 0.01))
    if start is not None:
        master.highs.setSolution(start.size, start, np.ones(start.size))
    master.highs.run()
    if master.highs.getInfo().primal_solution_status != 2:  # not feasible
        return None
    values = np.asarray(master.highs.getSolution().col_value)
    return np.flatnonzero(values > 0.5).astype(np.int32)

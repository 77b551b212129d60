"""Benchmark the reviewer assignment on seeded synthetic conference families.

Run: ``.venv/bin/python bench/assignment.py`` (every family, seeds 1-3), or
``--families loads,scarce --seeds 1`` for a part; ``--fair-seconds`` is the fair
mode's time limit (default 30, the issue's budget); ``--large`` times the plain
solve at 15,000 x 15,000 (3M candidate pairs) instead, and then ``manage.py
assign_csv`` from CSV files to a CSV file in its own process (``csv_seconds``,
``csv_peak_mb``: the issue's 15 s and 1.5 GB; Django's start-up included).

Families (``bench/_conferences.py``), covering the issue's shapes: ``small``
200 x 100 and ``uniform`` 2,000 x 1,500 (one load for all, abundant expertise:
topic model, 200 candidates, k = 4); ``loads`` 2,500 x 1,800 with 20% reduced
loads (1-3); ``scarce`` 2,500 x 1,800, reduced loads, bimodal affinities where
hot topics lack experts; ``skewed`` clustered topics, steep paper law, flat
reviewer law (skewed supply); ``conflicts`` 15% of candidate pairs conflicted;
``idle`` 15% of reviewers without any candidate. k = 3 and up to 120
candidates per paper unless said.

Each family and seed runs in a fresh child process (so ``peak_mb``, the child's
``ru_maxrss``, is per run) and prints one JSON row: the plain optimum's total
and minimum, the max-min LP bound (``lp_bound``, by column generation: exact,
see ``reviews/assignment/relax.py``), the fair mode's minimum and total, and
the two ratios the issue's goals are about: ``min_ratio`` = fair minimum /
``lp_bound`` (goal >= 0.95) and ``total_ratio`` = fair total / plain total
(goal >= 0.995). The last line summarises the ratios per family.

**Integral bound.** ``integral_bound`` (``bounds.integral_maxmin_bound``) is a
certified upper bound on the minimum of any *integral* assignment filling every
slot: for an expert threshold ``theta`` and a target ``T``, each paper needs at
least ``n_p(T)`` reviewers scoring ``>= theta`` to reach ``T`` (its best
``j`` experts plus best ``k - j`` others is increasing in ``j``), and if no
expert-only flow within the loads gives every paper its ``n_p(T)``, no
assignment reaches ``T``. The LP escapes the argument by splitting experts
fractionally. Where ``integral_bound < 0.95 * lp_bound`` (``lp_goal_possible``
false: every ``scarce`` seed, 0.68-0.74 of the LP bound), the issue's
0.95-of-LP goal cannot be met by any method. ``min_ratio_integral`` = fair
minimum / min(``lp_bound``, ``integral_bound``), the tighter of the two, says
how far the fair mode is from what is provably possible (an upper bound, not
necessarily reachable). Where the LP is tighter (``integral_to_lp`` > 1), it
equals ``min_ratio``.

**Joint goal.** The two goals can each be reachable and still not together.
``joint_total_bound`` = the LP's best total with every paper at least 0.95 x
``lp_bound`` (``Relaxation.max_total``, column generation started from the
max-min optimum's support, exact unless ``joint_bound_exact`` is false), over
the plain total: no assignment, fractional or integral, with a minimum of 0.95
of the LP bound has a higher total ratio. ``joint_goal_possible`` =
``joint_total_bound >= 0.995`` and ``lp_goal_possible``; where it is false,
the goal pair is provably unreachable on that instance.
``total_bound_at_fair_min`` = the same LP at the fair mode's own minimum as
the floor, over the plain total: the most total any assignment with that
minimum could have, so ``total_ratio`` / ``total_bound_at_fair_min`` is how
much total fair mode leaves at its minimum (an upper bound again: the LP may be
above every integral assignment). ``joint_bound_seconds`` and
``total_bound_seconds`` time the two LPs.

**Integral joint goal.** On instances of up to ``INTEGRAL_JOINT_ARCS`` arcs,
``integral_joint_total_bound`` is the same question for *integral*
assignments: HiGHS's branch and bound maximises the total with every paper at
least 0.95 x ``lp_bound`` on every arc, and its dual bound (over the plain
total; 0.0 when it proves no integral assignment reaches that floor) bounds
every assignment fair mode could return. ``integral_joint_exact``: it finished
(the bound is the optimum). Below 0.995, ``joint_goal_possible`` is false: on
``small`` seed 3 it is 0.9933 where the LP allows 0.9981, so that instance's
goal pair is out of reach although each goal alone is not.

**Configuration bound.** On instances of any size, ``lagrangian_joint_bound``
is the Lagrangian bound of :mod:`reviews.assignment.lagrange` at the joint
LP's load duals (each paper's best *integral* set reaching the floor under
those prices; ~1 s): an upper bound on every integral total with every paper
at 0.95 x ``lp_bound``, never above ``joint_total_bound``. With
``--configuration-seconds S``, ``configuration_joint_bound`` is the
configuration LP's bound by column generation for up to ``S`` seconds (started
from fair mode's assignment and the LP duals' sets;
``configuration_master`` is the restricted LP's value: the two meet when it
converged). Below 0.995, either makes ``joint_goal_possible`` false: at the LP
duals alone, on ``uniform`` seed 1 (0.9940, the LP 0.9965), ``skewed`` seeds
1-3 (0.9868-0.9916, the LP 0.9946-0.9962) and ``idle`` seeds 2-3 (0.9922,
the LP 0.9955-0.9957); with ``--configuration-seconds 200``, also on
``loads`` seed 3 (0.99453), ``conflicts`` seed 3 (0.99368) and ``idle`` seed
1 (0.99307), where the Lagrangian at the LP duals said 0.9952-0.9964; on
``uniform`` seeds 2-3 it converged to 0.99528 and 0.99619, so those stay
possible.

**Reachable, shown by an assignment.** With ``--column-mip-seconds M`` as
well, HiGHS then picks the best integral set per paper among the generated
columns for up to ``M`` seconds
(:func:`reviews.assignment.branching.configuration_bound`):
``found_min_ratio`` / ``found_total_ratio`` are that assignment's minimum
(over ``lp_bound``) and total (over the plain total), and
``joint_goal_found`` says it meets both goals, so the goal pair *is* within
reach on that instance (whatever fair mode's 30 s found);
``configuration_seconds`` then includes HiGHS's time. With
``--configuration-seconds 200 --column-mip-seconds 300`` (a loaded machine)
on the three rows no bound rules out: ``conflicts`` seed 2 0.95001 of the
bound at 0.99534 of the plain total (113 s; the configuration bound 0.99534,
so that is the integral optimum), ``uniform`` seed 2 0.95001 at 0.99526 (263
s; bound 0.99529), ``uniform`` seed 3 0.95003 at 0.99617 (287 s; bound
0.99632), measured before the master was kept in HiGHS between rounds.
Every row is now either met by fair mode, proven out of reach, or shown
reachable. Fair mode itself runs price and branch at its target floor
(``reviews/assignment/branching.py``), from the LP's load duals at the floor,
with a generation that reaches 1e-4 of the bound in ~7 s on ``uniform``
(62 s before); within its 30 s that meets both goals on ``conflicts`` seed 2
and ``uniform`` seed 2 (and on the unseen ``uniform`` seeds 4-5, ``conflicts``
4-5, ``loads`` 4); on ``uniform`` seed 3 in about half the runs (0.99584
and 0.99614, or 0.99122-0.99257 where a few papers stay without a set in
the fixed columns' repair).

**Fair mode's phases.** ``fair_phases`` holds fair mode's own figures:
``bound_seconds``, when its LP bound came in (missing: not within its wait,
so no target floor and no column phase), ``column_prices`` (1: the column
phase started from the LP's prices), ``lift_seconds`` and ``local_min``
(phases 1-2), and which phase gave the result (``columns_used``,
``exact_used``; neither: the lift and the restoration).

**Timing.** ``fair_seconds`` is wall-clock; ``fair_cpu_seconds`` is the
child's user + system CPU over the fair solve (all threads). On a shared
machine the wall-clock time-limited stages get less CPU than their budget
says, so report both.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _children import run_children
from _conferences import FAMILIES, LARGE, generate

from reviews.assignment import Instance, assign
from reviews.assignment.bounds import integral_maxmin_bound, integral_total_at_floor
from reviews.assignment.branching import configuration_bound
from reviews.assignment.fair import solve_fair
from reviews.assignment.lagrange import total_at_floor_bound
from reviews.assignment.relax import Relaxation
from reviews.assignment.solver import solve_weighted, submission_scores

ROOT = Path(__file__).resolve().parents[1]
# Expert thresholds the integral bound tries (score quantiles 0.5-0.98): the
# library's 12 missed scarce seed 2's binding one (1.297 -> 0.781 with 40).
INTEGRAL_THETAS = 40
# The goals: minimum >= GOAL_MIN x the max-min LP bound, total >=
# GOAL_TOTAL x the plain optimum's.
GOAL_MIN, GOAL_TOTAL = 0.95, 0.995
# The integral joint bound runs HiGHS's branch and bound on every arc: only
# instances up to this size finish (small: 12k arcs in 0.3-5 s).
INTEGRAL_JOINT_ARCS, INTEGRAL_JOINT_SECONDS = 20_000, 60.0
# Fair mode's own figures each row shows (``fair_phases``): its bound's and
# first prices' arrival, the lift's time and minimum, which phase won.
FAIR_PHASES = (
    "bound_seconds",
    "column_prices",
    "lift_seconds",
    "local_min",
    "columns_used",
    "exact_used",
    "restored",
)


def run_child(
    name: str,
    seed: int,
    fair_seconds: float,
    configuration_seconds: float = 0.0,
    column_mip_seconds: float = 0.0,
) -> dict:
    family = LARGE if name == "large" else FAMILIES[name]
    started = time.perf_counter()
    candidates, conflicts, load = generate(family, seed)
    row: dict = {
        "family": name,
        "seed": seed,
        "papers": family.papers,
        "reviewers": family.reviewers,
        "pairs": int(candidates[0].size),
        "generation_seconds": round(time.perf_counter() - started, 2),
    }
    kwargs = {
        "per_submission": family.per_submission,
        "max_load": load,
        "conflicts": conflicts,
    }
    started = time.perf_counter()
    plain = assign(family.papers, family.reviewers, candidates, **kwargs)
    row.update(
        plain_seconds=round(time.perf_counter() - started, 2),
        assigned=plain.filled_slots,
        unfilled=len(plain.unfilled),
        plain_total=round(plain.total_score, 4),
        plain_min=round(plain.min_submission_score, 4),
    )
    if name == "large":
        row["peak_mb"] = _peak_mb()
        row.update(csv_to_csv(candidates, conflicts, load, family.per_submission))
        return row
    instance = Instance.build(family.papers, family.reviewers, candidates, **kwargs)
    started = time.perf_counter()
    flow = solve_weighted(instance)
    relaxation = Relaxation(instance, int(flow.sum()))
    bound = relaxation.max_min(flow.copy())
    row["bound_seconds"] = round(time.perf_counter() - started, 2)
    # The max-min optimum reaches every floor up to t*: its support is a
    # feasible start for the column generation of the total LP.
    support = bound.x > 0
    started = time.perf_counter()
    joint = relaxation.max_total(support, GOAL_MIN * bound.value)
    row["joint_bound_seconds"] = round(time.perf_counter() - started, 2)
    count = np.bincount(
        instance.arc_submission[flow], minlength=instance.submission_count
    )
    floor = GOAL_MIN * bound.value
    started = time.perf_counter()
    lagrangian = total_at_floor_bound(instance, count, floor, joint.load_duals)
    row["lagrangian_bound_seconds"] = round(time.perf_counter() - started, 2)
    row["lagrangian_joint_bound"] = round(
        0.0 if lagrangian is None else lagrangian / plain.total_score, 5
    )
    if instance.arc_submission.size <= INTEGRAL_JOINT_ARCS:
        started = time.perf_counter()
        value, exact = integral_total_at_floor(
            instance,
            count,
            GOAL_MIN * bound.value,
            time_limit=INTEGRAL_JOINT_SECONDS,
        )
        row["integral_joint_seconds"] = round(time.perf_counter() - started, 2)
        row["integral_joint_exact"] = exact
        if value is not None or exact:
            ratio = 0.0 if value is None else value / plain.total_score
            row["integral_joint_total_bound"] = round(ratio, 5)
    started = time.perf_counter()
    integral = integral_maxmin_bound(instance, thetas=INTEGRAL_THETAS)
    row["integral_bound_seconds"] = round(time.perf_counter() - started, 2)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    used, fair_stats = solve_fair(instance, time_limit=fair_seconds)
    fair_seconds_taken = time.perf_counter() - started
    fair_cpu = _cpu_seconds() - cpu_started
    # Which of fair mode's phases gave the result, and when its bound came.
    row["fair_phases"] = {
        key: round(fair_stats[key], 4) for key in FAIR_PHASES if key in fair_stats
    }
    scores = submission_scores(instance, used)
    fair_min = float(scores[instance.per_submission > 0].min())
    fair_total = float(scores.sum())
    started = time.perf_counter()
    at_fair_min = relaxation.max_total(used | support, fair_min)
    row["total_bound_seconds"] = round(time.perf_counter() - started, 2)
    if configuration_seconds > 0:
        started = time.perf_counter()
        value, master, found = configuration_bound(
            instance,
            count,
            floor,
            used,
            prices=joint.load_duals,
            deadline=started + configuration_seconds,
            mip_seconds=column_mip_seconds,
        )
        row["configuration_seconds"] = round(time.perf_counter() - started, 1)
        row["configuration_joint_bound"] = round(
            0.0 if value is None else value / plain.total_score, 5
        )
        row["configuration_master"] = round(master / plain.total_score, 5)
        if column_mip_seconds > 0:
            row.update(_found(instance, found, bound.value, plain.total_score))
    row.update(
        lp_bound=round(bound.value, 4),
        lp_bound_exact=bound.exact,
        fair_min=round(fair_min, 4),
        fair_total=round(fair_total, 4),
        fair_seconds=round(fair_seconds_taken, 1),
        fair_cpu_seconds=round(fair_cpu, 1),
        fair_assigned=int(used.sum()),
        min_ratio=round(fair_min / bound.value, 4),
        total_ratio=round(fair_total / plain.total_score, 5),
        plain_min_ratio=round(plain.min_submission_score / bound.value, 4),
        joint_total_bound=round(joint.value / plain.total_score, 5),
        joint_bound_exact=joint.exact,
        total_bound_at_fair_min=round(at_fair_min.value / plain.total_score, 5),
        peak_mb=_peak_mb(),
    )
    if integral is not None:  # None when some slot cannot be filled
        best_bound = min(integral[0], bound.value)
        row.update(
            integral_bound=round(integral[0], 4),
            integral_to_lp=round(integral[0] / bound.value, 4),
            min_ratio_integral=round(fair_min / best_bound, 4),
            lp_goal_possible=integral[0] >= GOAL_MIN * bound.value,
        )
    row["joint_goal_possible"] = (
        joint.value >= GOAL_TOTAL * plain.total_score
        and row.get("lp_goal_possible", True)
        and row.get("integral_joint_total_bound", 1.0) >= GOAL_TOTAL
        and row["lagrangian_joint_bound"] >= GOAL_TOTAL
        and row.get("configuration_joint_bound", 1.0) >= GOAL_TOTAL
    )
    return row


def _found(
    instance: Instance, found: np.ndarray | None, lp_bound: float, plain_total: float
) -> dict:
    """The columns' integral assignment at the joint floor, if any: its
    minimum and total, and whether it meets both goals (a proof they can be)."""
    if found is None:
        return {"joint_goal_found": False}
    scores = submission_scores(instance, found)
    low = float(scores[instance.per_submission > 0].min()) / lp_bound
    total = float(scores.sum()) / plain_total
    return {
        "found_min_ratio": round(low, 5),
        "found_total_ratio": round(total, 5),
        "joint_goal_found": low >= GOAL_MIN - 1e-9 and total >= GOAL_TOTAL,
    }


def csv_to_csv(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray],
    conflicts: np.ndarray,
    load: np.ndarray,
    per_submission: int,
) -> dict:
    """``manage.py assign_csv`` on the instance written as CSV files (not
    timed), in a process of its own: its seconds, peak memory and rows."""
    papers, reviewers, scores = candidates
    tables = {
        "affinity": {"paper": _ids("P", papers), "reviewer": _ids("R", reviewers)}
        | {"score": scores},
        "conflicts": {
            "paper": _ids("P", conflicts[:, 0]),
            "reviewer": _ids("R", conflicts[:, 1]),
        },
        "loads": {"reviewer": _ids("R", np.arange(len(load))), "max_load": load},
    }
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, str(ROOT / "manage.py"), "assign_csv"]
        command += ["--per-paper", str(per_submission), "--max-load", "0"]
        for name, columns in tables.items():
            pd.DataFrame(columns).to_csv(Path(folder) / f"{name}.csv", index=False)
            command += [f"--{name}", str(Path(folder) / f"{name}.csv")]
        out = Path(folder) / "out.csv"
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "--out", str(out)], capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - started
        rows = len(pd.read_csv(out))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the command's
    return {
        "csv_seconds": round(seconds, 2),
        "csv_peak_mb": round(peak / 1024, 1),
        "csv_rows": rows,
        "csv_total": round(json.loads(done.stdout.splitlines()[-1])["total_score"], 4),
    }


def _ids(prefix: str, indices: np.ndarray) -> pd.Series:
    return prefix + pd.Series(indices).astype(str)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--fair-seconds", type=float, default=30.0)
    parser.add_argument("--configuration-seconds", type=float, default=0.0)
    parser.add_argument(
        "--column-mip-seconds",
        type=float,
        default=0.0,
        help="then HiGHS on the generated columns (needs --configuration-seconds)",
    )
    parser.add_argument("--large", action="store_true", help="plain at 15k x 15k")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    if args.child:
        print(
            json.dumps(
                run_child(
                    args.child,
                    seeds[0],
                    args.fair_seconds,
                    args.configuration_seconds,
                    args.column_mip_seconds,
                )
            )
        )
        return
    families = ["large"] if args.large else args.families.split(",")
    unknown = sorted(set(families) - set(FAMILIES) - {"large"})
    if unknown:
        parser.error(f"unknown families {', '.join(unknown)}")
    rows = run_children(
        __file__,
        families,
        seeds,
        [
            *("--fair-seconds", str(args.fair_seconds)),
            *("--configuration-seconds", str(args.configuration_seconds)),
            *("--column-mip-seconds", str(args.column_mip_seconds)),
        ],
    )
    print(json.dumps({"summary": _summary(rows)}))


def _summary(rows: list[dict]) -> dict:
    summary = {}
    for name in dict.fromkeys(row["family"] for row in rows):
        mine = [row for row in rows if row["family"] == name]
        figures = {"runs": len(mine)}
        keys = (
            "min_ratio",
            "min_ratio_integral",
            "integral_to_lp",
            "total_ratio",
            "joint_total_bound",
            "total_bound_at_fair_min",
            "integral_joint_total_bound",
            "lagrangian_joint_bound",
            "configuration_joint_bound",
        )
        times = ("fair_seconds", "fair_cpu_seconds", "plain_seconds", "csv_seconds")
        for key in (*keys, *times, "csv_peak_mb"):
            values = [row[key] for row in mine if key in row]
            if values:
                worst = max if "seconds" in key or "_mb" in key else min
                figures[f"{key}_worst"] = worst(values)
        if any("min_ratio" in row for row in mine):
            figures["goals_met"] = all(
                row.get("min_ratio", 0) >= GOAL_MIN
                and row.get("total_ratio", 0) >= GOAL_TOTAL
                for row in mine
            )
            for key in ("lp_goal_possible", "joint_goal_possible"):
                figures[key] = all(row.get(key, True) for row in mine)
        if any("joint_goal_found" in row for row in mine):
            figures["joint_goal_found_runs"] = sum(
                bool(row.get("joint_goal_found")) for row in mine
            )
        summary[name] = figures
    return summary


if __name__ == "__main__":
    main()

"""Fair mode with the chair's minimum load per reviewer, on the bench families.

Run: ``.venv/bin/python bench/fair_min_loads.py`` (``--families``, ``--seeds``,
``--min-load``, ``--fair-seconds`` as in ``bench/assignment.py``). Each family
and seed runs in a fresh child process and prints one JSON row:

- ``plain_pairs``: pairs toward the minimum loads in the plain optimum (the
  most any assignment filling as many slots can give);
- ``phases_pairs``: what fair mode's phases left before
  :mod:`reviews.assignment.min_loads` repaired it, ``repair_seconds`` its time;
- ``fair_pairs``: after the repair (must equal ``plain_pairs``);
- ``min_ratio``: fair mode's lowest paper score over the max-min LP bound the
  chair sees (it keeps the minimum loads: ``relax.lp_bound``), and
  ``total_ratio``: its total over the plain optimum's;
- ``fair_seconds``: fair mode's wall time at its limit.

The last line is one JSON object: the rows that kept every pair, and the
lowest ``min_ratio`` and ``total_ratio``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _children import run_children
from _conferences import FAMILIES, generate

from reviews.assignment import Instance
from reviews.assignment import fair as fair_module
from reviews.assignment.min_loads import min_load_pairs
from reviews.assignment.relax import lp_bound
from reviews.assignment.solver import solve_weighted, submission_scores


def run_child(name: str, seed: int, min_load: int, fair_seconds: float) -> dict:
    family = FAMILIES[name]
    candidates, conflicts, load = generate(family, seed)
    instance = Instance.build(
        family.papers,
        family.reviewers,
        candidates,
        per_submission=family.per_submission,
        max_load=load,
        min_load=min_load,
        conflicts=conflicts,
    )
    plain = solve_weighted(instance)
    bound = lp_bound(instance, plain)
    seen: dict[str, float] = {}
    repair = fair_module.keep_min_loads

    def timed(instance, used, plain, rank, deadline, target=None):  # type: ignore[no-untyped-def]
        seen["phases_pairs"] = min_load_pairs(instance, used)
        started = time.perf_counter()
        result = repair(instance, used, plain, rank, deadline, target)
        seen["repair_seconds"] = round(time.perf_counter() - started, 3)
        return result

    fair_module.keep_min_loads = timed  # only to read what the phases left
    try:
        started = time.perf_counter()
        used, _ = fair_module.solve_fair(instance, time_limit=fair_seconds)
        seconds = time.perf_counter() - started
    finally:
        fair_module.keep_min_loads = repair
    with_slots = instance.per_submission > 0
    scores = submission_scores(instance, used)
    plain_scores = submission_scores(instance, plain)
    return {
        "family": name,
        "seed": seed,
        "min_load": min_load,
        "plain_pairs": min_load_pairs(instance, plain),
        "phases_pairs": seen.get("phases_pairs", min_load_pairs(instance, used)),
        "fair_pairs": min_load_pairs(instance, used),
        "repair_seconds": seen.get("repair_seconds", 0.0),
        "lp_bound": None if bound is None else round(bound, 4),
        "min_ratio": None
        if bound is None
        else round(float(scores[with_slots].min()) / bound, 4),
        "plain_min_ratio": None
        if bound is None
        else round(float(plain_scores[with_slots].min()) / bound, 4),
        "total_ratio": round(float(scores.sum() / plain_scores.sum()), 5),
        "fair_seconds": round(seconds, 1),
        "filled_equal": bool(used.sum() == plain.sum()),
        "loads_kept": bool(
            (
                np.bincount(instance.arc_reviewer[used], minlength=load.size)
                <= instance.free
            ).all()
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default="small,uniform,loads,conflicts,idle")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--min-load", type=int, default=1)
    parser.add_argument("--fair-seconds", type=float, default=30.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    if args.child:
        row = run_child(args.child, seeds[0], args.min_load, args.fair_seconds)
        print(json.dumps(row))
        return
    rows = run_children(
        __file__,
        args.families.split(","),
        seeds,
        ["--min-load", str(args.min_load), "--fair-seconds", str(args.fair_seconds)],
    )
    ratios = [row["min_ratio"] for row in rows if row["min_ratio"] is not None]
    print(
        json.dumps(
            {
                "rows": len(rows),
                "kept_every_pair": sum(
                    row["fair_pairs"] == row["plain_pairs"] for row in rows
                ),
                "lowest_min_ratio": min(ratios, default=None),
                "lowest_total_ratio": min(
                    (r["total_ratio"] for r in rows), default=None
                ),
                "slowest_seconds": max((r["fair_seconds"] for r in rows), default=None),
            }
        )
    )


if __name__ == "__main__":
    main()

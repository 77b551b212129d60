"""Benchmark the reviewer assignment on seeded synthetic conferences.

Run: ``.venv/bin/python bench/assignment.py [--sizes small,medium,large,scarce]``
(``--fair-large`` also runs the fairness option at 15,000 x 15,000).

Each instance runs in a fresh child process, so ``peak_mb`` (the child's
``ru_maxrss``, read right after the plain solve, and again after the fair solve
as ``fair_peak_mb``) is per instance. One JSON object per run is printed on its
own line (plain, then fair where it runs); the last line summarises them all.

**Realistic instances** (``small`` 200 x 100, ``medium`` 2,000 x 1,500,
``large`` 15,000 x 15,000): a topic model. There are ``C`` research clusters
(``C ~ sqrt(papers) / 1.5``) over ``3C`` topics; each cluster has a sparse
Dirichlet topic mixture. A paper picks a cluster from a skewed popularity law and
draws its topic vector from a Dirichlet centred on that mixture. A reviewer
picks a primary cluster from a flatter, partly shuffled law (so some hot topics
are short of reviewers, the case fairness is for) and a random secondary one,
and draws a topic vector centred on a blend of the two. Affinity is the cosine
of the topic vectors plus N(0, 0.03) noise, clipped to [0, 1], rounded to 1e-4:
continuous, as TPMS/SPECTER-style similarities are. Candidates are each paper's
200 best reviewers among ~800 it "sees", a random part of a pool drawn per
cluster: reviewers whose primary cluster is one of the 4 nearest (widened to
further clusters until the pool has 3 reviewers per paper of the cluster; at
least 1,000, at most 4,000 sampled) or whose secondary is this one, plus 300
uniform. No dense papers x reviewers matrix ever exists.
1% of candidate pairs are conflicts. ``small`` (800 slots, 600 load) is
infeasible on purpose: it exercises the unfilled report.

**Adversarial / expert-scarce instance** (``scarce``, 2,000 x 1,500): the
previous generator, kept on purpose. One primary topic per person with
mismatched popularity laws, so affinities are bimodal (experts ~0.9, everyone
else < 0.2) and candidate lists are noisy top-200s. A max flow shows only
~1,850 papers can get any reviewer >= 0.5, so the max-min LP bound (which splits
experts fractionally) is far above what any integral assignment reaches; the
fair row reports a certified integral bound
(:func:`reviews.assignment.bounds.integral_maxmin_bound`) next to it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviews.assignment import Instance, assign
from reviews.assignment.bounds import (
    expert_coverage,
    integral_maxmin_bound,
    maxmin_lp_bound,
    total_lp_bound,
)

# name -> (papers, reviewers, generator)
SIZES = {
    "small": (200, 100, "realistic"),
    "medium": (2_000, 1_500, "realistic"),
    "large": (15_000, 15_000, "realistic"),
    "scarce": (2_000, 1_500, "expert_scarce"),
}
FAIR_BY_DEFAULT = ("medium", "scarce")
CANDIDATES_PER_PAPER = 200
PER_PAPER = 4
MAX_LOAD = 6
CONFLICT_RATE = 0.01
# HiGHS on the 3M-column LP takes far longer than the solver; skip it there.
LP_MAX_ARCS = 1_000_000
# Realistic generator: reviewers sampled per cluster before scoring (see doc).
NEAR_CLUSTERS = 4
POOL_MIN = 1_000
POOL_PER_PAPER = 3
POOL_CAP = 4_000
SEEN_PER_PAPER = 800
RANDOM_POOL = 300

Candidates = tuple[np.ndarray, np.ndarray, np.ndarray]


def generate_realistic(
    papers: int, reviewers: int, *, seed: int = 2025
) -> tuple[Candidates, np.ndarray]:
    """Return ``(candidates, conflicts)``: the topic-model conference (doc)."""
    rng = np.random.default_rng(seed)
    clusters = max(8, round(np.sqrt(papers) / 1.5))
    topics = 3 * clusters
    mixture = rng.dirichlet(np.full(topics, 0.1), clusters)
    rank = np.arange(1, clusters + 1)
    paper_law = _normalise(rank**-0.8)
    reviewer_law = rank**-0.4
    half = clusters // 2
    reviewer_law[:half] = rng.permutation(reviewer_law[:half])
    paper_cluster = rng.choice(clusters, papers, p=paper_law)
    paper_vec = _dirichlet_rows(rng, 30 * mixture[paper_cluster] + 0.02)
    primary = rng.choice(clusters, reviewers, p=_normalise(reviewer_law))
    secondary = rng.choice(clusters, reviewers)
    blend = rng.uniform(0, 0.5, reviewers)[:, None]
    reviewer_vec = _dirichlet_rows(
        rng,
        15 * ((1 - blend) * mixture[primary] + blend * mixture[secondary]) + 0.02,
    )
    unit = mixture / np.linalg.norm(mixture, axis=1, keepdims=True)
    nearest = np.argsort(-(unit @ unit.T), axis=1)

    per_paper = min(CANDIDATES_PER_PAPER, reviewers)
    cand_p, cand_r, cand_s = [], [], []
    for cluster in range(clusters):
        members = np.flatnonzero(paper_cluster == cluster)
        if not members.size:
            continue
        # Widen to further clusters until the pool can staff the cluster
        # (as a PC chair recruits): a fixed pool starves the hot clusters.
        wanted = min(max(POOL_MIN, POOL_PER_PAPER * members.size), POOL_CAP)
        for near in range(NEAR_CLUSTERS, clusters + 1):
            pool = np.flatnonzero(
                np.isin(primary, nearest[cluster, :near]) | (secondary == cluster)
            )
            if pool.size >= wanted:
                break
        if pool.size > POOL_CAP:
            pool = rng.choice(pool, POOL_CAP, replace=False)
        pool = np.union1d(
            pool, rng.choice(reviewers, min(reviewers, RANDOM_POOL), replace=False)
        )
        if pool.size < per_paper:
            pool = np.arange(reviewers)
        block = (paper_vec[members] @ reviewer_vec[pool].T).astype(np.float32)
        block += rng.standard_normal(block.shape, dtype=np.float32) * 0.03
        np.clip(block, 0.0, 1.0, out=block)
        # Each paper sees its own random part of the pool (whom its keywords,
        # bids and the chair's shortlist happen to reach); identical lists would
        # give a hot cluster's papers the same few reviewers and no way to fill.
        unseen = rng.random(block.shape) > min(1.0, SEEN_PER_PAPER / pool.size)
        ranked = np.where(unseen, -1.0, block)
        top = np.argpartition(-ranked, per_paper - 1, axis=1)[:, :per_paper]
        rows = np.arange(members.size)[:, None]
        cand_p.append(np.broadcast_to(members[:, None], top.shape).ravel())
        cand_r.append(pool[top].ravel())
        cand_s.append(block[rows, top].ravel())
    return _with_conflicts(rng, cand_p, cand_r, cand_s)


def _dirichlet_rows(rng: np.random.Generator, alpha: np.ndarray) -> np.ndarray:
    """One Dirichlet draw per row of ``alpha``, unit-normalised for cosines."""
    vec = rng.standard_gamma(alpha)
    vec /= vec.sum(axis=1, keepdims=True)
    return vec / np.linalg.norm(vec, axis=1, keepdims=True)


def _with_conflicts(
    rng: np.random.Generator, cand_p: list, cand_r: list, cand_s: list
) -> tuple[Candidates, np.ndarray]:
    candidates = (
        np.concatenate(cand_p).astype(np.int64),
        np.concatenate(cand_r).astype(np.int64),
        np.round(np.concatenate(cand_s).astype(np.float64), 4),
    )
    picked = rng.random(candidates[0].size) < CONFLICT_RATE
    conflicts = np.column_stack([candidates[0][picked], candidates[1][picked]])
    return candidates, conflicts


def generate_expert_scarce(
    papers: int, reviewers: int, *, seed: int = 2025
) -> tuple[Candidates, np.ndarray]:
    """The adversarial instance: bimodal affinities, scarce experts (doc)."""
    rng = np.random.default_rng(seed)
    topics = max(8, int(np.sqrt(papers)))
    rank = np.arange(1, topics + 1)
    paper_topic = rng.choice(topics, papers, p=_normalise(rank**-0.9))
    # Reviewers follow a flatter, shuffled law: some hot paper topics are scarce.
    reviewer_law = _normalise(rank**-0.4)
    reviewer_law[: topics // 2] = rng.permutation(reviewer_law[: topics // 2])
    reviewer_topic = rng.choice(topics, reviewers, p=_normalise(reviewer_law))
    paper_vec = _embed(rng, paper_topic, topics)
    reviewer_vec = _embed(rng, reviewer_topic, topics)

    per_paper = min(CANDIDATES_PER_PAPER, reviewers)
    cand_p, cand_r, cand_s = [], [], []
    for start in range(0, papers, 1_000):
        block = (paper_vec[start : start + 1_000] @ reviewer_vec.T).astype(np.float32)
        block += rng.standard_normal(block.shape, dtype=np.float32) * 0.05
        np.clip(block, 0.0, 1.0, out=block)
        if per_paper < reviewers:
            # Noisy candidate lists (bids, keyword matches), not a pure top-k:
            # a pure top-k starves the hot topics.
            noisy = block + rng.standard_normal(block.shape, dtype=np.float32) * 0.15
            top = np.argpartition(-noisy, per_paper - 1, axis=1)[:, :per_paper]
        else:
            top = np.broadcast_to(np.arange(reviewers), (block.shape[0], reviewers))
        rows = np.arange(block.shape[0])[:, None]
        cand_p.append(np.broadcast_to(rows + start, top.shape).ravel())
        cand_r.append(top.ravel())
        cand_s.append(block[rows, top].ravel())
    return _with_conflicts(rng, cand_p, cand_r, cand_s)


GENERATORS = {"realistic": generate_realistic, "expert_scarce": generate_expert_scarce}


def _normalise(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _embed(rng: np.random.Generator, primary: np.ndarray, topics: int) -> np.ndarray:
    vec = 0.25 * rng.dirichlet(np.full(topics, 0.05), primary.size)
    vec[np.arange(primary.size), primary] += 0.75
    return vec / np.linalg.norm(vec, axis=1, keepdims=True)


def _ratio(value: float, bound: float | None) -> float | None:
    return None if bound is None else round(value / bound, 4)


def run_child(size: str, *, with_fair: bool) -> list[dict]:
    papers, reviewers, kind = SIZES[size]
    started = time.perf_counter()
    candidates, conflicts = GENERATORS[kind](papers, reviewers)
    generation_seconds = time.perf_counter() - started
    kwargs = {
        "per_paper": PER_PAPER,
        "max_load": MAX_LOAD,
        "conflicts": conflicts,
    }
    started = time.perf_counter()
    plain = assign(papers, reviewers, candidates, **kwargs)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    instance = Instance.build(papers, reviewers, candidates, **kwargs)
    fits = instance.arc_paper.size <= LP_MAX_ARCS
    lp_bound = total_lp_bound(instance, plain.filled_slots) if fits else None
    head = {"instance": size, "generator": kind, "papers": papers}
    rows = [
        {
            **head,
            "reviewers": reviewers,
            "candidates": int(candidates[0].size),
            "generation_seconds": round(generation_seconds, 2),
            "seconds": round(seconds, 2),
            "peak_mb": round(peak_mb, 1),
            "assigned": plain.filled_slots,
            "unfilled": len(plain.unfilled),
            "total": round(plain.total_score, 4),
            "lp_bound": None if lp_bound is None else round(lp_bound, 4),
            "ratio": None
            if lp_bound is None
            else round(plain.total_score / lp_bound, 6),
            "min_paper": round(plain.min_paper_score, 4),
        }
    ]
    if with_fair:
        started = time.perf_counter()
        fair = assign(papers, reviewers, candidates, fair=True, **kwargs)
        fair_seconds = time.perf_counter() - started
        fair_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        bound = maxmin_lp_bound(instance, plain.filled_slots) if fits else None
        integral = integral_maxmin_bound(instance) if fits else None
        bound_seconds = time.perf_counter() - started
        integral_bound = None if integral is None else integral[0]
        best = min(b for b in (bound, integral_bound, np.inf) if b is not None)
        best_bound = None if best == np.inf else best
        rows.append(
            {
                "fair": True,
                **head,
                "seconds": round(fair_seconds, 2),
                "fair_peak_mb": round(fair_peak_mb, 1),
                "assigned": fair.filled_slots,
                "min_paper": round(fair.min_paper_score, 4),
                "plain_min_paper": round(plain.min_paper_score, 4),
                # Upper bounds on the max-min: the LP relaxation, and a certified
                # bound on integral assignments (bounds.integral_maxmin_bound).
                "maxmin_lp_bound": None if bound is None else round(bound, 4),
                "min_ratio": _ratio(fair.min_paper_score, bound),
                "integral_maxmin_bound": None
                if integral_bound is None
                else round(integral_bound, 4),
                "integral_bound_theta": None if integral is None else integral[1],
                "min_ratio_best_bound": _ratio(fair.min_paper_score, best_bound),
                "total": round(fair.total_score, 4),
                "total_ratio": round(fair.total_score / plain.total_score, 6),
                # Papers that can get any reviewer scoring >= 0.5 (max flow).
                "papers_coverable_at_0.5": expert_coverage(instance, 0.5)
                if fits
                else None,
                "bound_seconds": round(bound_seconds, 1),
                **{k: round(v, 4) for k, v in fair.stats.items()},
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="small,medium,large,scarce",
        help=f"comma-separated, from {','.join(SIZES)}",
    )
    parser.add_argument(
        "--fair-large",
        action="store_true",
        help="also run the fairness option on large (minutes; no LP bound)",
    )
    parser.add_argument("--child", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--fair", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        for row in run_child(args.child, with_fair=args.fair):
            print(json.dumps(row), flush=True)
        return

    sizes = args.sizes.split(",")
    unknown = sorted(set(sizes) - set(SIZES))
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}")
    summary: dict[str, dict] = {}
    started = time.perf_counter()
    for size in sizes:
        command = [sys.executable, __file__, "--child", size]
        if size in FAIR_BY_DEFAULT or (size == "large" and args.fair_large):
            command.append("--fair")
        output = subprocess.run(command, check=True, capture_output=True, text=True)
        for line in output.stdout.splitlines():
            if not line.startswith("{"):
                # HiGHS (bundled with scipy) may print a stray debug line to
                # stdout (ERGO-Code/HiGHS#2783); stdout here is JSON only.
                print(line, file=sys.stderr, flush=True)
                continue
            print(line, flush=True)
            row = json.loads(line)
            summary[f"{size}{'_fair' if row.get('fair') else ''}"] = row
    summary["bench_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps({"summary": summary}))


if __name__ == "__main__":
    main()

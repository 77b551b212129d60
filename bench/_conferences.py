"""Seeded synthetic conferences for ``bench/assignment.py`` (one per family).

**Topic model** (``topics``): ``C`` research clusters (``C ~ sqrt(papers) /
1.5``) over ``3C`` topics, each with a sparse Dirichlet topic mixture. A paper
picks a cluster from a skewed popularity law (``paper_skew``) and draws its topic
vector around that mixture. A reviewer picks a primary cluster from a flatter,
partly shuffled law (``reviewer_skew``: the lower, the more hot clusters run
short of reviewers) and a random secondary one. Affinity is the cosine of the
topic vectors plus N(0, 0.03) noise, clipped to [0, 1], rounded to 1e-4, as
TPMS/SPECTER-style similarities are. Candidates are each paper's best
``candidates`` reviewers among ~800 it "sees" in a pool drawn per cluster (the 4
nearest clusters, widened until the pool has 3 reviewers per paper, plus 300
uniform). No dense papers x reviewers matrix ever exists.

**Scarce expertise** (``scarce``): one primary topic per person with mismatched
popularity laws, so affinities are bimodal (experts ~0.9, everyone else < 0.2)
and candidate lists are noisy top-``candidates``: hot topics lack experts.

Every family then applies: a share of reviewers with reduced loads
(``reduced``), a conflict rate, and a share of reviewers who are on the
programme committee but have no candidate at all (``idle``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Candidates = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Family:
    papers: int
    reviewers: int
    generator: str = "topics"
    per_submission: int = 3
    max_load: int = 6
    candidates: int = 120
    reduced: float = 0.0  # share of reviewers whose load is 1-3 instead
    conflict_rate: float = 0.01
    idle: float = 0.0  # share of reviewers without any candidate
    paper_skew: float = 0.8
    reviewer_skew: float = 0.4


FAMILIES = {
    "small": Family(200, 100, candidates=60, max_load=8),
    "uniform": Family(2_000, 1_500, per_submission=4, candidates=200),
    "loads": Family(2_500, 1_800, reduced=0.2),
    "scarce": Family(2_500, 1_800, generator="scarce", reduced=0.2, conflict_rate=0.02),
    "skewed": Family(2_000, 1_200, paper_skew=1.3, reviewer_skew=0.1, max_load=7),
    "conflicts": Family(1_500, 1_000, conflict_rate=0.15, reduced=0.1),
    "idle": Family(1_000, 900, idle=0.15, max_load=5, reduced=0.2),
}
LARGE = Family(15_000, 15_000, per_submission=4, candidates=200)
NEAR_CLUSTERS = 4
POOL_MIN, POOL_PER_PAPER, POOL_CAP = 1_000, 3, 4_000
SEEN_PER_PAPER = 800
RANDOM_POOL = 300


def generate(family: Family, seed: int) -> tuple[Candidates, np.ndarray, np.ndarray]:
    """Return ``(candidates, conflicts, max_load)`` for one family and seed."""
    rng = np.random.default_rng(seed)
    # Idle reviewers are the last ones: the generator only sees the others.
    active = family.reviewers - round(family.idle * family.reviewers)
    make = _topics if family.generator == "topics" else _scarce
    papers, reviewers, scores = make(rng, family, active)
    if active < family.reviewers:
        reviewers = rng.permutation(family.reviewers)[:active][reviewers]
    candidates = (
        papers.astype(np.int64),
        reviewers.astype(np.int64),
        np.round(scores.astype(np.float64), 4),
    )
    picked = rng.random(papers.size) < family.conflict_rate
    conflicts = np.column_stack([papers[picked], reviewers[picked]]).astype(np.int64)
    load = np.full(family.reviewers, family.max_load, dtype=np.int64)
    reduced = rng.random(family.reviewers) < family.reduced
    load[reduced] = rng.integers(1, 4, int(reduced.sum()))
    return candidates, conflicts, load


def _topics(rng: np.random.Generator, family: Family, reviewers: int) -> Candidates:
    papers = family.papers
    clusters = max(8, round(np.sqrt(papers) / 1.5))
    topics = 3 * clusters
    mixture = rng.dirichlet(np.full(topics, 0.1), clusters)
    rank = np.arange(1, clusters + 1)
    reviewer_law = rank**-family.reviewer_skew
    half = clusters // 2
    reviewer_law[:half] = rng.permutation(reviewer_law[:half])
    paper_cluster = rng.choice(clusters, papers, p=_normalise(rank**-family.paper_skew))
    paper_vec = _dirichlet_rows(rng, 30 * mixture[paper_cluster] + 0.02)
    primary = rng.choice(clusters, reviewers, p=_normalise(reviewer_law))
    secondary = rng.choice(clusters, reviewers)
    blend = rng.uniform(0, 0.5, reviewers)[:, None]
    reviewer_vec = _dirichlet_rows(
        rng, 15 * ((1 - blend) * mixture[primary] + blend * mixture[secondary]) + 0.02
    )
    unit = mixture / np.linalg.norm(mixture, axis=1, keepdims=True)
    nearest = np.argsort(-(unit @ unit.T), axis=1)
    per_submission = min(family.candidates, reviewers)
    cand_p, cand_r, cand_s = [], [], []
    for cluster in range(clusters):
        members = np.flatnonzero(paper_cluster == cluster)
        if not members.size:
            continue
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
        if pool.size < per_submission:
            pool = np.arange(reviewers)
        block = (paper_vec[members] @ reviewer_vec[pool].T).astype(np.float32)
        block += rng.standard_normal(block.shape, dtype=np.float32) * 0.03
        np.clip(block, 0.0, 1.0, out=block)
        unseen = rng.random(block.shape) > min(1.0, SEEN_PER_PAPER / pool.size)
        top = _top(np.where(unseen, -1.0, block), per_submission)
        rows = np.arange(members.size)[:, None]
        cand_p.append(np.broadcast_to(members[:, None], top.shape).ravel())
        cand_r.append(pool[top].ravel())
        cand_s.append(block[rows, top].ravel())
    return np.concatenate(cand_p), np.concatenate(cand_r), np.concatenate(cand_s)


def _scarce(rng: np.random.Generator, family: Family, reviewers: int) -> Candidates:
    papers = family.papers
    topics = max(8, int(np.sqrt(papers)))
    rank = np.arange(1, topics + 1)
    paper_topic = rng.choice(topics, papers, p=_normalise(rank**-0.9))
    reviewer_law = _normalise(rank**-0.4)
    reviewer_law[: topics // 2] = rng.permutation(reviewer_law[: topics // 2])
    reviewer_topic = rng.choice(topics, reviewers, p=_normalise(reviewer_law))
    paper_vec = _embed(rng, paper_topic, topics)
    reviewer_vec = _embed(rng, reviewer_topic, topics)
    per_submission = min(family.candidates, reviewers)
    cand_p, cand_r, cand_s = [], [], []
    for start in range(0, papers, 1_000):
        block = (paper_vec[start : start + 1_000] @ reviewer_vec.T).astype(np.float32)
        block += rng.standard_normal(block.shape, dtype=np.float32) * 0.05
        np.clip(block, 0.0, 1.0, out=block)
        # Noisy lists (bids, keyword matches), not a pure top-k.
        noisy = block + rng.standard_normal(block.shape, dtype=np.float32) * 0.15
        top = _top(noisy, per_submission)
        rows = np.arange(block.shape[0])[:, None]
        cand_p.append(np.broadcast_to(rows + start, top.shape).ravel())
        cand_r.append(top.ravel())
        cand_s.append(block[rows, top].ravel())
    return np.concatenate(cand_p), np.concatenate(cand_r), np.concatenate(cand_s)


def _top(values: np.ndarray, count: int) -> np.ndarray:
    if count >= values.shape[1]:
        return np.broadcast_to(np.arange(values.shape[1]), values.shape)
    return np.argpartition(-values, count - 1, axis=1)[:, :count]


def _dirichlet_rows(rng: np.random.Generator, alpha: np.ndarray) -> np.ndarray:
    vec = rng.standard_gamma(alpha)
    vec /= vec.sum(axis=1, keepdims=True)
    return vec / np.linalg.norm(vec, axis=1, keepdims=True)


def _embed(rng: np.random.Generator, primary: np.ndarray, topics: int) -> np.ndarray:
    vec = 0.25 * rng.dirichlet(np.full(topics, 0.05), primary.size)
    vec[np.arange(primary.size), primary] += 0.75
    return vec / np.linalg.norm(vec, axis=1, keepdims=True)


def _normalise(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()

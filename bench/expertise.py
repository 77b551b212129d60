"""Time the expertise scorer (reviews/expertise.py) on synthetic profiles.

    .venv/bin/python bench/expertise.py [--sizes small,recall,large,files]
                                        [--papers-per-reviewer 12]
                                        [--seeds 2026] [--roots 9000]

- ``small``: 60 reviewers x 500 submissions, every pair scored the way
  ``manage.py expertise`` does it: OpenReview-format files written to a
  temporary folder, read, scored and written back as CSV (goal: under 10 s).
- ``large``: 15,000 reviewers x 15,000 submissions, each submission's 200 best
  reviewers as a sparse matrix (:func:`reviews.expertise.top_reviewers`), texts
  already in memory (goal: under 60 s). ``cpu_seconds`` is the CPU time of
  this process (all threads) and of the child that counts half the words: on
  a busy machine it says what an idle one would take. ``child_peak_mb`` is that
  child's peak memory (``peak_mb`` this process's).
- ``recall``: 2,000 x 2,000, where every pair can be scored: the share of the
  exact top 200 (and top 10) that the shortlist path keeps (see
  :mod:`reviews.expertise_candidates`).
- ``files`` (not run unless asked): the large size end to end, as anyone
  would run it: ``manage.py expertise --top 200`` in a process of its own,
  from OpenReview-format files to a CSV of 3 million rows (goal: under 60 s).

Synthetic texts: a vocabulary of made-up words (several inflections each, so
stemming has work) with a Zipf law; ``sqrt(n)`` research clusters, each with
its own Zipf law over 300 topical words. A document (title and abstract, about
170 words, with English stop words) draws 40% of its words from its cluster
and the rest from the background; a reviewer writes about their primary
cluster and sometimes a secondary one, with 5 to 20 papers (mean 12 unless
``--papers-per-reviewer`` says otherwise). Made-up words cut into about four
WordLlama tokens each (English words into one or two), so the word vectors
cost more here than on real abstracts and carry no meaning: these are timing
figures; quality is measured on real data by ``shared/tools/expertise_eval.py``.

``--roots`` sets the size of the made-up vocabulary: 9,000 roots (the
default) make about 27,000 words, far fewer than real titles and abstracts
reach at 195,000 texts. The development set's texts hold 5,800 distinct words
in their first 52,000; Heaps' law (exponent 0.5 to 0.6, as in scientific
text) puts 29 million words of text at 140,000 to 260,000 distinct words.
``--roots 80000`` (about 240,000 words) times the large size on such a
vocabulary: what grows with it is tokenising the words and the sparse
products of the exact rescoring.
Prints one JSON object per size and seed (``--seeds 1,2,3``: other fields,
clusters and profiles), then as its last line one summarising JSON object: the
slowest time and the lowest recall over the seeds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviews.expertise_candidates import top_reviewers
from reviews.expertise_files import read_input, write_scores

ROOT = Path(__file__).resolve().parents[1]
# submissions, reviewers
SIZES = {
    "small": (500, 60),
    "recall": (2_000, 2_000),
    "large": (15_000, 15_000),
    "files": (15_000, 15_000),
}
GOALS_SECONDS = {"small": 10.0, "recall": None, "large": 60.0, "files": 60.0}
TOP = 200
ROOTS = 9_000  # made-up word roots, three words each (see --roots)
STOP = "the of and a to in is we that for on with this by are as an be our from it"
SUFFIXES = ("", "s", "ing", "ed", "ation", "al")


class Writer:
    """Synthetic titles and abstracts of a topic-clustered field."""

    def __init__(self, clusters: int, *, seed: int = 2026, roots: int = ROOTS) -> None:
        self.rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        stems = {
            "".join(self.rng.choice(letters, self.rng.integers(4, 9)))
            for _ in range(roots)
        }
        words = [stem + suffix for stem in sorted(stems) for suffix in SUFFIXES[:3]]
        words += STOP.split() * 3
        self.words = np.array(self.rng.permutation(words))
        rank = np.arange(1, len(self.words) + 1)
        self.background = np.cumsum(rank**-1.0 / (rank**-1.0).sum())
        self.topical = [
            self.rng.choice(len(self.words), 300, replace=False)
            for _ in range(clusters)
        ]
        law = np.arange(1, 301) ** -0.9
        self.topic_law = np.cumsum(law / law.sum())

    def document(self, cluster: int) -> str:
        length = int(self.rng.integers(120, 220))
        own = self.rng.binomial(length, 0.4)
        # Inverse-CDF draws: rng.choice(p=...) rebuilds the CDF on every call.
        topical = np.searchsorted(self.topic_law, self.rng.random(own) * 0.999)
        general = np.searchsorted(
            self.background, self.rng.random(length - own) * 0.999
        )
        picks = np.concatenate([self.topical[cluster][topical], general])
        self.rng.shuffle(picks)
        return " ".join(self.words[picks])


def synthetic(
    submissions: int,
    reviewers: int,
    papers_per_reviewer: float,
    seed: int = 2026,
    roots: int = ROOTS,
) -> tuple[list[str], list[list[str]]]:
    clusters = max(8, round(np.sqrt(submissions)))
    writer = Writer(clusters, seed=seed, roots=roots)
    rng = writer.rng
    submission_texts = [
        writer.document(int(c)) for c in rng.integers(0, clusters, submissions)
    ]
    profiles = []
    for _ in range(reviewers):
        primary, secondary = rng.integers(0, clusters, 2)
        count = int(np.clip(rng.poisson(papers_per_reviewer), 5, 20))
        profiles.append(
            [
                writer.document(int(secondary if rng.random() < 0.25 else primary))
                for _ in range(count)
            ]
        )
    return submission_texts, profiles


def write_files(root: Path, texts: list[str], profiles: list[list[str]]) -> None:
    """The texts in OpenReview's expertise format: ``root/archives/~R<j>.jsonl``
    and ``root/submissions.json``."""
    (root / "archives").mkdir()
    for j, papers in enumerate(profiles):
        with (root / "archives" / f"~R{j}.jsonl").open("w") as file:
            for n, text in enumerate(papers):
                title, _, abstract = text.partition(" ")
                record = {"title": title, "abstract": abstract}
                file.write(json.dumps({"id": f"R{j}-{n}", "content": record}))
                file.write("\n")
    submissions = {
        f"S{i}": {"id": f"S{i}", "content": {"title": "", "abstract": text}}
        for i, text in enumerate(texts)
    }
    (root / "submissions.json").write_text(json.dumps(submissions))


def run_small(submission_texts: list[str], profiles: list[list[str]]) -> dict:
    """Files in OpenReview's format -> every pair as CSV, like the command."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_files(root, submission_texts, profiles)
        started = time.perf_counter()
        data = read_input(root / "archives", root / "submissions.json")
        with (root / "out.csv").open("w", newline="") as out:
            rows = write_scores(data, out)
        seconds = time.perf_counter() - started
        with (root / "out.csv").open(newline="") as out:
            assert sum(1 for _ in csv.reader(out)) == rows + 1
    return {"rows": rows, "seconds": round(seconds, 2)}


def run_files(submission_texts: list[str], profiles: list[list[str]]) -> dict:
    """``manage.py expertise --top 200`` in a process of its own, from the
    files (written first, not timed) to the CSV: Django's start-up, reading
    the JSON, scoring and writing 3 million rows."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_files(root, submission_texts, profiles)
        command = [sys.executable, str(ROOT / "manage.py"), "expertise"]
        command += ["--archives", str(root / "archives")]
        command += ["--submissions", str(root / "submissions.json")]
        command += ["--out", str(root / "out.csv"), "--top", str(TOP)]
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - started
        with (root / "out.csv").open(newline="") as out:
            rows = sum(1 for _ in csv.reader(out)) - 1
    assert rows == len(submission_texts) * min(TOP, len(profiles))
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        # The largest of this bench's children: the command (or its child).
        "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def cpu_time() -> float:
    """CPU seconds of this process and of its ended children (the word
    counting's forked child, reviews/expertise_words.py)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def run_large(submission_texts: list[str], profiles: list[list[str]]) -> dict:
    started, cpu = time.perf_counter(), cpu_time()
    best = top_reviewers(submission_texts, profiles, k=TOP)
    seconds = time.perf_counter() - started
    assert best.shape == (len(submission_texts), len(profiles))
    assert best.getnnz(axis=1).max() <= TOP
    return {
        "stored_pairs": int(best.nnz),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_time() - cpu, 2),
        "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def run_recall(submission_texts: list[str], profiles: list[list[str]]) -> dict:
    """How many of the exact top 200 the shortlist path keeps, at a size where
    every pair can be scored."""
    started = time.perf_counter()
    shortlisted = top_reviewers(submission_texts, profiles, k=TOP, exact_pairs=0)
    seconds = time.perf_counter() - started
    exact = top_reviewers(submission_texts, profiles, k=TOP, exact_pairs=10**12)
    kept = shortlisted.multiply(exact).getnnz(axis=1) / TOP
    exact_top10 = exact.toarray()
    exact_top10[exact_top10 < np.sort(exact_top10, axis=1)[:, [-10]]] = 0
    kept_top10 = (shortlisted.toarray() > 0)[exact_top10 > 0].mean()
    return {
        "seconds": round(seconds, 2),
        "top200_recall": round(float(kept.mean()), 4),
        "top200_recall_min": round(float(kept.min()), 4),
        "top10_recall": round(float(kept_top10), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,recall,large")
    parser.add_argument("--papers-per-reviewer", type=float, default=12.0)
    parser.add_argument("--seeds", default="2026", help="e.g. 1,2,3")
    parser.add_argument(
        "--roots", type=int, default=ROOTS, help="made-up word roots (3 words each)"
    )
    args = parser.parse_args()
    results = []
    for seed in map(int, args.seeds.split(",")):
        for size in args.sizes.split(","):
            submissions, reviewers = SIZES[size]
            texts, profiles = synthetic(
                submissions, reviewers, args.papers_per_reviewer, seed, args.roots
            )
            run = {
                "small": run_small,
                "recall": run_recall,
                "large": run_large,
                "files": run_files,
            }[size]
            result = {
                "size": size,
                "seed": seed,
                "roots": args.roots,
                "submissions": submissions,
                "reviewers": reviewers,
                "profile_papers": sum(map(len, profiles)),
                **run(texts, profiles),
                "goal_seconds": GOALS_SECONDS[size],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            }
            goal = GOALS_SECONDS[size]
            result["meets_goal"] = goal is None or result["seconds"] <= goal
            print(json.dumps(result), flush=True)
            results.append(result)
    print(json.dumps(summary(results)))


def summary(results: list[dict]) -> dict:
    """The slowest time of each size and the lowest recall, over the seeds."""
    figures: dict = {}
    for result in results:
        for key, name, worst in (
            ("seconds", f"{result['size']}_seconds", max),
            ("cpu_seconds", "cpu_seconds", max),
            ("top200_recall", "top200_recall", min),
            ("top10_recall", "top10_recall", min),
        ):
            if key in result:
                figures[name] = worst(figures.get(name, result[key]), result[key])
    figures["meets_goals"] = all(result["meets_goal"] for result in results)
    return figures


if __name__ == "__main__":
    main()

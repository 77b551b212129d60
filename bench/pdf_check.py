"""PDF check time per file, sandbox and reviewer copy included.

    .venv/bin/python bench/pdf_check.py [--runs 5] [--no-sandbox]

Checks every PDF under ../shared/fixtures/pdfs (with the manifest's authors),
plus files built here: a plain 4-page paper, the deadline rush's 4-page paper
(bench/_paper.py, a figure on page 2), a figure-heavy 4-page paper (plots with
thousands of vector paths on every page) and a decompression bomb.
Each timed run is what an upload costs: check_pdf with the reviewer copy, in
one sandbox job as submissions.versions.check_upload asks for it (the copy is
written when the file passes), then make_reviewer_copy for every other file
that opened as a PDF (an upper bound: uploads that fail the check get no copy).
The sandbox workers are started once before timing (cold_start_ms). Prints one line per
file (median and max over the runs), then as its last line one JSON object:
{"files": n, "runs": r, "sandbox": true, "cold_start_ms": ...,
 "p50_ms_4page": ..., "p95_ms_4page": ..., "max_ms_4page": ...,
 "p95_ms": ..., "max_ms": ..., "slowest": "..."}
(4page: every run of every file with 4 pages; the others over every run of
every file). The goals: max <= 2000 ms, p95 over 4-page papers <= 500 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench._paper import build_submission_pdf  # noqa: E402
from submissions.pdfcheck import (  # noqa: E402
    AuthorIdentity,
    CheckReport,
    ReviewerCopyError,
    check_pdf,
    make_reviewer_copy,
)
from submissions.pdfcheck import sandbox as pdf_sandbox  # noqa: E402
from submissions.pdfcheck.checks import passes  # noqa: E402
from tests.submissions.pdf_bombs import decompression_bomb  # noqa: E402
from tests.submissions.pdf_factory import JANE, build_paper  # noqa: E402

FIXTURES = REPO_ROOT.parent / "shared" / "fixtures" / "pdfs"
GENERATED = "built/plain_4page.pdf"
RUSH = "built/rush_4page.pdf"
FIGURES = "built/figures_4page.pdf"
BOMB = "built/decompression_bomb.pdf"
# Markers per page in the figure-heavy paper: a real paper measured in issue 20
# drew 13,846 figure objects on 4 pages.
FIGURE_PATHS = 4000


def manifest_authors() -> dict[str, list[AuthorIdentity]]:
    manifest = FIXTURES / "MANIFEST.tsv"
    if not manifest.exists():
        return {}
    with manifest.open(newline="", encoding="utf-8") as handle:
        return {
            row["file"]: [
                AuthorIdentity.parse(a) for a in row["authors"].split(";") if a.strip()
            ]
            for row in csv.DictReader(handle, delimiter="\t")
        }


def built_files(folder: Path) -> dict[str, Path]:
    return {
        GENERATED: build_paper(folder / "plain.pdf"),
        RUSH: build_submission_pdf(folder / "rush.pdf", title="Rush Study 1.1"),
        FIGURES: build_paper(folder / "figures.pdf", figure_paths=FIGURE_PATHS),
        BOMB: decompression_bomb(folder / "bomb.pdf"),
    }


def one_upload(
    path: Path, people: list[AuthorIdentity], copy: Path, sandbox: bool
) -> CheckReport:
    report = check_pdf(
        path, authors=people, page_limit=4, reviewer_copy=copy, sandbox=sandbox
    )
    if not passes(report) and report.pages is not None:
        # Timed all the same when refused: a refused copy is work done too.
        with contextlib.suppress(ReviewerCopyError):
            make_reviewer_copy(path, copy, sandbox=sandbox)
    return report


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-sandbox", action="store_true")
    args = parser.parse_args()
    sandbox = not args.no_sandbox

    authors = manifest_authors()
    timings: dict[str, list[float]] = {}
    pages: dict[str, int | None] = {}
    with tempfile.TemporaryDirectory() as folder:
        files = built_files(Path(folder))
        if FIXTURES.is_dir():
            files |= {
                str(p.relative_to(FIXTURES)): p for p in sorted(FIXTURES.rglob("*.pdf"))
            }
        copy = Path(folder) / "copy.pdf"
        start = time.perf_counter()
        if sandbox:
            one_upload(files[GENERATED], [], copy, sandbox)
        cold_start_ms = (time.perf_counter() - start) * 1000
        for name, path in files.items():
            people = authors.get(name, [AuthorIdentity.parse(JANE)])
            for _ in range(args.runs):
                start = time.perf_counter()
                report = one_upload(path, people, copy, sandbox)
                timings.setdefault(name, []).append(
                    (time.perf_counter() - start) * 1000
                )
            pages[name] = report.pages
            verdict = "ok" if report.ok else ",".join(i.code for i in report.errors)
            print(
                f"{name:45} pages={report.pages!s:>5} "
                f"median={statistics.median(timings[name]):7.1f} ms "
                f"max={max(timings[name]):7.1f} ms  {verdict}"
            )
    pdf_sandbox.shutdown()

    every_run = [t for runs in timings.values() for t in runs]
    four_pages = [t for name, runs in timings.items() if pages[name] == 4 for t in runs]
    summary = {
        "files": len(timings),
        "runs": args.runs,
        "sandbox": sandbox,
        "cold_start_ms": round(cold_start_ms, 1),
        "p50_ms_4page": round(statistics.median(four_pages), 1),
        "p95_ms_4page": round(percentile(four_pages, 0.95), 1),
        "max_ms_4page": round(max(four_pages), 1),
        "median_ms_figures_4page": round(statistics.median(timings[FIGURES]), 1),
        "p95_ms": round(percentile(every_run, 0.95), 1),
        "max_ms": round(max(every_run), 1),
        "slowest": max(timings, key=lambda name: max(timings[name])),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

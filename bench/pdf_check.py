"""How long the PDF check takes, sandbox subprocess included.

    .venv/bin/python bench/pdf_check.py [--runs 5] [--no-sandbox]

Checks every PDF under ../shared/fixtures/pdfs (with the manifest's authors) and
a generated 4-page paper, several times each. Prints the median per file, then as
its last line one JSON object:
{"files": n, "runs": r, "median_ms_4page": ..., "max_ms": ..., "p95_ms": ...}
(max and p95 over every single run). The budget is < 2000 ms for a 4-page paper.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from submissions.pdfcheck import AuthorIdentity, check_pdf  # noqa: E402
from tests.submissions.pdf_factory import JANE, build_paper  # noqa: E402

FIXTURES = REPO_ROOT.parent / "shared" / "fixtures" / "pdfs"
GENERATED = "generated_4page.pdf"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-sandbox", action="store_true")
    args = parser.parse_args()

    authors = manifest_authors()
    with tempfile.TemporaryDirectory() as folder:
        generated = build_paper(Path(folder) / GENERATED)
        files = {GENERATED: generated}
        if FIXTURES.is_dir():
            files |= {
                str(p.relative_to(FIXTURES)): p for p in sorted(FIXTURES.rglob("*.pdf"))
            }
        timings: dict[str, list[float]] = {}
        for name, path in files.items():
            people = authors.get(name, [AuthorIdentity.parse(JANE)])
            for _ in range(args.runs):
                start = time.perf_counter()
                report = check_pdf(
                    path, authors=people, page_limit=4, sandbox=not args.no_sandbox
                )
                timings.setdefault(name, []).append(
                    (time.perf_counter() - start) * 1000
                )
            verdict = "ok" if report.ok else ",".join(i.code for i in report.errors)
            print(
                f"{name:45} pages={report.pages!s:>5} "
                f"median={statistics.median(timings[name]):7.1f} ms "
                f"max={max(timings[name]):7.1f} ms  {verdict}"
            )

    every_run = sorted(t for runs in timings.values() for t in runs)
    p95 = every_run[min(len(every_run) - 1, round(0.95 * (len(every_run) - 1)))]
    summary = {
        "files": len(files),
        "runs": args.runs,
        "sandbox": not args.no_sandbox,
        "median_ms_4page": round(statistics.median(timings[GENERATED]), 1),
        "max_ms": round(every_run[-1], 1),
        "p95_ms": round(p95, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

"""PDF check against 108 LaTeX papers with known ground truth, in seven templates.

    .venv/bin/python bench/tex_corpus/run.py --styles DIR [--work DIR]
        [--only icml,neurips,iclr,acl,ieee,lncs,article] [--jobs N]

Builds every paper (bench/tex_corpus/papers.py: 42 in ICML 2022, 14 NeurIPS 2022,
8 ICLR 2023, 12 ACL, 11 IEEEtran conference, 9 LNCS, 12 article + times), anonymous
submissions and camera-ready versions, with pdflatex; the amount of body text is
searched so that the References (or appendix) heading lands where each spec asks:
mid column, top of a page, after \\clearpage, beside or before an appendix, around
the 4-page limit. The ground truth comes from TeX markers (build.py): the page where
the body text ends, the heading's page, and from the spec which author identity the
paper exposes. Then check_pdf runs on each paper in submission mode (page limit 4,
the authors' identities given, a declared length where the spec has one), and camera-
ready versions also in camera_ready mode. Prints one line per paper, the mismatches
with notes, and as its last line one JSON object:
{"papers": n, "templates": {"icml": {"papers": .., "main_body_agree": ..,
 "heading_agree": .., "false_over_limit": .., "missed_over_limit": ..,
 "missed_byline": .., "false_author_identity": .., "missed_identity_warning": ..,
 "false_identity_warning": .., "other_errors": .., "camera_ready_unexpected": ..,
 "build_failed": .., "mismatches": ..}, ...}, "skipped": [...], "mismatches": n,
 "truth_doubts": n, "seconds": s}
missed_byline: a byline or an email in the text without the author_identity error;
truth_doubts: papers where the poppler cross-check disagrees with the TeX markers or
a body float sits after the last page of body text (see the mismatch list).
Some 14 pdflatex runs per paper: about 4 minutes for all 108 with --jobs 2.

Needs (Debian/Ubuntu):
    apt-get install -y texlive-latex-extra texlive-fonts-recommended texlive-science \\
        texlive-publishers cm-super-minimal poppler-utils
(IEEEtran.cls and llncs.cls come from texlive-publishers.) The conference style files
are not redistributed here; put them in the --styles folder. The corpus was made with:
  icml2022.sty      github.com/rehaanahmad2013/example_paper, icml2022.sty at commit
                    443c49c04ea909a8d15ec81fd7ad0554aff9e2dc (ICML 2022 style, as is)
  neurips_2022.sty  github.com/t46/paper-pre-training-different-modality-offline-rl,
                    neurips_2022.sty at 867b467efdd9bcbf11e6c10ec130be712a104309, with
                    that repository's edit "Postprint of " removed from the final-mode
                    notice (= kilickaya/empty_paper_template@f2695af3 before its 2023
                    edits)
  iclr2023_conference.sty  github.com/edocoh87/rnn_extrapolation,
                    iclr2023_conference.sty at a0f697e192f6cfdd0b1a587defa72167bce2e60e
                    (as is; no .bst needed: the papers carry their own bibliography)
  acl.sty           github.com/acl-org/acl-style-files, latex/acl.sty at 1c24b4a2
The official kits (icml.cc, neurips.cc, ICLR/Master-Template) should do as well
(not tried). Templates whose files are missing are skipped with a line saying so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from bench.tex_corpus.build import PAGE_LIMIT, Truth, build  # noqa: E402
from bench.tex_corpus.papers import A4_TEMPLATES, SPECS, STYLE_FILES  # noqa: E402
from submissions.pdfcheck import AuthorIdentity, CheckReport, check_pdf  # noqa: E402

IDENTITY_WARNINGS = {"identity_in_text", "metadata_identity"}
BLOCKED = {"byline", "email"}  # identities a submission must be refused for
COUNTS = [
    *("papers", "main_body_agree", "heading_agree", "false_over_limit"),
    *("missed_over_limit", "missed_byline", "false_author_identity"),
    *("missed_identity_warning", "false_identity_warning", "other_errors"),
    *("camera_ready_unexpected", "build_failed", "mismatches"),
]


@dataclass
class Verdict:
    line: str
    counts: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def missing_files(template: str, styles: Path | None) -> list[str]:
    def found(name: str) -> bool:
        if styles and (styles / name).is_file():
            return True
        where = subprocess.run(["kpsewhich", name], capture_output=True, check=False)
        return bool(where.stdout.strip())

    return [name for name in STYLE_FILES[template] if not found(name)]


def codes(report: CheckReport) -> set[str]:
    return {issue.code for issue in report.errors + report.warnings}


def messages(report: CheckReport, prefix: str = "") -> list[str]:
    return [
        f"{prefix}{'E' if issue in report.errors else 'W'} {issue.code}: "
        + issue.message[:160]
        for issue in report.errors + report.warnings
    ]


def judge(truth: Truth) -> Verdict:
    spec = truth.spec
    if truth.error or truth.pdf is None:
        verdict = Verdict(f"{spec.id:4} {spec.tpl:8} BUILD FAILED")
        verdict.counts |= {"papers", "build_failed", "mismatches"}
        verdict.problems.append(f"build failed: {truth.error}")
        return verdict
    people = [AuthorIdentity.parse(author.identity()) for author in spec.people]
    report = check_pdf(
        truth.pdf,
        authors=people,
        page_limit=PAGE_LIMIT,
        declared_main_body_pages=spec.declared or None,
        sandbox=False,
    )
    errors = {issue.code for issue in report.errors}
    warnings = codes(report) - errors
    over, refused = "over_page_limit" in errors, "author_identity" in errors
    flagged = warnings & IDENTITY_WARNINGS
    checks = {  # count name: (problem when true, its description)
        "false_over_limit": (over and not truth.over, "over_page_limit, truth not"),
        "missed_over_limit": (truth.over and not over, "no over_page_limit"),
        "missed_byline": (
            spec.ident in BLOCKED and not refused,
            f"{spec.ident} identity without author_identity",
        ),
        "false_author_identity": (
            refused and spec.ident not in BLOCKED,
            f"author_identity, identity is '{spec.ident}'",
        ),
        "missed_identity_warning": (
            (spec.ident == "body" and "identity_in_text" not in warnings)
            or (spec.ident == "metadata" and "metadata_identity" not in warnings),
            f"{spec.ident} identity not reported",
        ),
        "false_identity_warning": (
            spec.ident == "none" and bool(flagged),
            f"identity warning on an anonymous paper: {sorted(flagged)}",
        ),
        "other_errors": (
            bool(errors - {"over_page_limit", "author_identity"}),
            f"other errors {sorted(errors - {'over_page_limit', 'author_identity'})}",
        ),
    }
    verdict = Verdict("", {"papers"})
    if report.main_body_pages == truth.main:
        verdict.counts.add("main_body_agree")
    else:
        verdict.problems.append(f"main_body_pages {report.main_body_pages}")
    if report.references_page == truth.end_page:
        verdict.counts.add("heading_agree")
    else:
        verdict.problems.append(f"{truth.end_key} page {report.references_page}")
    for name, (bad, text) in checks.items():
        if bad:
            verdict.counts.add(name)
            verdict.problems.append(text)
    verdict.details = messages(report)
    camera = "-"
    if spec.final:
        final = check_pdf(truth.pdf, authors=people, mode="camera_ready", sandbox=False)
        expected = {"over_page_limit"} if truth.over else set()
        expected |= {"page_size"} if spec.tpl in A4_TEMPLATES else set()
        camera = ",".join(sorted(codes(final))) or "ok"
        if codes(final) != expected:
            verdict.counts.add("camera_ready_unexpected")
            verdict.problems.append(
                f"camera_ready: {camera}, expected {sorted(expected)}"
            )
            verdict.details += messages(final, "camera_ready ")
    if verdict.problems:
        verdict.counts.add("mismatches")
    verdict.line = (
        f"{spec.id:4} {spec.tpl:8} {spec.mode:10} pages={report.pages} "
        f"main truth={truth.main} chk={report.main_body_pages} "
        f"heading truth=p{truth.end_page} chk=p{report.references_page} "
        f"ident={spec.ident:8} codes={','.join(sorted(codes(report))) or '-'} "
        f"camera_ready={camera}  {'MISMATCH' if verdict.problems else 'ok'}"
    )
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", type=Path, help="folder with the style files")
    parser.add_argument("--work", type=Path, help="build folder (default: temporary)")
    parser.add_argument("--only", default="", help="templates, comma-separated")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    for tool in ("pdflatex", "pdftotext", "kpsewhich"):
        if not shutil.which(tool):
            sys.exit(
                f"{tool} not found: install the packages in this script's docstring"
            )
    wanted = [t for t in args.only.split(",") if t] or list(STYLE_FILES)
    if unknown := set(wanted) - set(STYLE_FILES):
        sys.exit(
            f"unknown templates {sorted(unknown)}; known: {', '.join(STYLE_FILES)}"
        )
    templates, skipped = [], []
    for template in wanted:
        if missing := missing_files(template, args.styles):
            print(f"skip {template}: {', '.join(missing)} not in --styles nor TeX Live")
            skipped.append(template)
        else:
            templates.append(template)
    specs = [spec for spec in SPECS if spec.tpl in templates]

    start = time.perf_counter()
    summary = {t: Counter({name: 0 for name in COUNTS}) for t in templates}
    mismatches, doubts = [], 0
    with tempfile.TemporaryDirectory() as temporary:
        work = (args.work or Path(temporary)).resolve()
        styles = args.styles.resolve() if args.styles else None
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for truth in pool.map(partial(build, work=work, styles=styles), specs):
                verdict = judge(truth)
                print(verdict.line, flush=True)
                summary[truth.spec.tpl].update(verdict.counts)
                doubts += bool(truth.doubts)
                if verdict.problems or truth.doubts:
                    mismatches.append((truth, verdict))
    print(f"\n=== {len(specs)} papers, {len(mismatches)} with mismatches or doubts ===")
    for truth, verdict in mismatches:
        spec, main = truth.spec, truth.main if truth.positions else "?"
        print(
            f"{spec.id} ({spec.tpl}, truth main={main}, ident={spec.ident}): "
            f"{' | '.join(verdict.problems) or 'no mismatch'}"
            + (f"  [note: {spec.note}]" if spec.note else "")
            + (f"  [truth doubt: {'; '.join(truth.doubts)}]" if truth.doubts else "")
        )
        for detail in verdict.details if verdict.problems else []:
            print(f"      {detail}")
    result = {
        "papers": len(specs),
        "templates": {t: dict(counts) for t, counts in summary.items()},
        "skipped": skipped,
        "mismatches": sum(1 for _, v in mismatches if v.problems),
        "truth_doubts": doubts,
        "seconds": round(time.perf_counter() - start),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

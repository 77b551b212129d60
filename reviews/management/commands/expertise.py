"""``manage.py expertise``: reviewer expertise from OpenReview's expertise files.

Parses arguments and calls :mod:`reviews.expertise_files`; the method is in
:mod:`reviews.expertise`. The last line on stdout is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haet.wording import agreeing, counted
from reviews.expertise_files import ExpertiseInputError, read_input, write_scores


class Command(BaseCommand):
    help = (
        "Score every reviewer's expertise for every submission from titles and "
        "abstracts (never author names): stemmed TF-IDF cosine of the submission "
        "with each of the reviewer's papers, combined as a soft maximum (power "
        "mean, p=4), plus the WordLlama word-vector similarity of the "
        "submission with the reviewer's papers, scaled to the reviewer's TF-IDF "
        "spread. Reads OpenReview's expertise format: --archives DIR of "
        "~<reviewer>.jsonl files and --submissions FILE (JSON object or JSONL). "
        "Writes submission,reviewer,score (higher = more expertise) to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--archives", required=True, help="folder of ~<reviewer id>.jsonl files"
        )
        parser.add_argument(
            "--submissions", required=True, help="JSON object or JSONL of submissions"
        )
        parser.add_argument("--out", required=True, help="output CSV ('-': stdout)")
        parser.add_argument(
            "--top",
            type=int,
            help="only each submission's TOP best reviewers (default: every pair)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["top"] is not None and options["top"] < 1:
            raise CommandError("--top must be at least 1")
        try:
            data = read_input(Path(options["archives"]), Path(options["submissions"]))
        except ExpertiseInputError as error:
            raise CommandError(str(error)) from error
        empty = [
            r
            for r, texts in zip(data.reviewer_ids, data.profiles, strict=True)
            if not texts
        ]
        if empty:
            shown = ", ".join(empty[:5]) + (
                f" and {len(empty) - 5} more" if len(empty) > 5 else ""
            )
            self.stderr.write(
                f"warning: {counted(len(empty), 'reviewer')} with an empty archive "
                f"{agreeing(len(empty), 'scores', 'score')} 0 everywhere: {shown}"
            )
        out = options["out"]
        try:
            if out == "-":
                rows = write_scores(data, sys.stdout, top=options["top"])
            else:
                with open(out, "w", newline="", encoding="utf-8") as file:
                    rows = write_scores(data, file, top=options["top"])
        except OSError as error:
            raise CommandError(f"{out}: cannot write ({error})") from error
        summary = {
            "submissions": len(data.submission_ids),
            "reviewers": len(data.reviewer_ids),
            "profile_papers": sum(len(p) for p in data.profiles),
            "rows": rows,
            "seconds": round(time.perf_counter() - started, 2),
        }
        if out != "-":
            self.stdout.write(json.dumps(summary))

"""``manage.py assign_csv``: optimal reviewer assignment from CSV files.

Only parses arguments and calls :mod:`reviews.assignment.csvio`; the last line on
stdout is one JSON object (see ``csvio.summary``) for scripts to parse.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.assignment.csvio import (
    CsvError,
    read_problem,
    solve_csv,
    summary,
    write_assignment,
)


class Command(BaseCommand):
    help = (
        "Assign reviewers from an affinity CSV (paper,reviewer,score): fill every "
        "fillable slot, then maximise total affinity (or, with --fair, the lowest "
        "per-paper affinity first). Writes paper,reviewer,score to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--affinity", required=True, help="paper,reviewer,score")
        parser.add_argument("--conflicts", help="paper,reviewer pairs never assigned")
        parser.add_argument("--loads", help="reviewer,max_load (overrides --max-load)")
        parser.add_argument("--per-paper", type=int, default=3, help="reviewers/paper")
        parser.add_argument("--max-load", type=int, required=True)
        parser.add_argument("--fair", action="store_true")
        parser.add_argument("--out", required=True, help="output paper,reviewer,score")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            problem = read_problem(
                options["affinity"],
                max_load=options["max_load"],
                conflicts=options["conflicts"],
                loads=options["loads"],
            )
            result = solve_csv(
                problem, per_paper=options["per_paper"], fair=options["fair"]
            )
            write_assignment(options["out"], problem, result)
        except CsvError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{options['out']}: cannot write ({error})") from error
        for paper, reason in sorted(result.unfilled.items()):
            self.stderr.write(f"unfilled {problem.paper_ids[paper]}: {reason}")
        self.stdout.write(json.dumps(summary(problem, result)))

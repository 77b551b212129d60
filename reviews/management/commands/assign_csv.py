"""``manage.py assign_csv``: optimal reviewer assignment from CSV files.

Only parses arguments and calls :mod:`reviews.assignment.csvio`; the last line on
stdout is one JSON object (see ``csvio.summary``) for scripts to parse.
"""

from __future__ import annotations

import json
import logging
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
        parser.add_argument(
            "--min-load",
            type=int,
            default=0,
            help="pairs every reviewer should get (capped at their max load); "
            "the solver names who falls short and why",
        )
        parser.add_argument("--fair", action="store_true")
        parser.add_argument(
            "--lp-bound",
            action="store_true",
            help="also report the max-min LP bound on the lowest paper score",
        )
        parser.add_argument("--out", required=True, help="output paper,reviewer,score")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:
            # The solver's progress lines ("raise_floor: ...") only with -v 2:
            # stderr is for what the chair must read (warnings, unfilled).
            logging.getLogger("reviews.assignment").setLevel(logging.WARNING)
        try:
            problem = read_problem(
                options["affinity"],
                max_load=options["max_load"],
                conflicts=options["conflicts"],
                loads=options["loads"],
            )
            result = solve_csv(
                problem,
                per_submission=options["per_paper"],
                fair=options["fair"],
                min_load=options["min_load"],
                lp_bound=options["lp_bound"],
            )
            write_assignment(options["out"], problem, result)
        except CsvError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{options['out']}: cannot write ({error})") from error
        for warning in problem.warnings:
            self.stderr.write(f"warning: {warning}")
        for submission, reason in sorted(result.unfilled.items()):
            self.stderr.write(
                f"unfilled {problem.submission_ids[submission]}: {reason}"
            )
        for reviewer, reason in sorted(result.below_min_load.items()):
            name = problem.reviewer_ids[reviewer]
            self.stderr.write(f"below minimum load {name}: {reason}")
        self.stdout.write(json.dumps(summary(problem, result)))

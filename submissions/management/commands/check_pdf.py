"""Check a paper PDF the way the submission form does, from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haet.wording import counted
from submissions.pdfcheck import AuthorIdentity, CheckReport, check_pdf


class Command(BaseCommand):
    help = (
        "Check a paper PDF (format, length, anonymity, metadata). Exits 0 when the "
        "paper would be accepted, 1 otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the PDF to check")
        parser.add_argument(
            "--author",
            action="append",
            default=[],
            metavar='"NAME <EMAIL> (AFFILIATION)"',
            help="an author who must not be named (repeat for each author)",
        )
        parser.add_argument(
            "--page-limit",
            type=int,
            default=4,
            help="main-body page limit (default 4; 0 disables the check)",
        )
        parser.add_argument(
            "--declared-main-body-pages",
            type=int,
            default=None,
            help="used when no References heading can be found",
        )
        parser.add_argument(
            "--camera-ready",
            action="store_true",
            help="check a final version: names are expected, not forbidden",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the report as one JSON object"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = check_pdf(
            path,
            authors=[AuthorIdentity.parse(text) for text in options["author"]],
            page_limit=options["page_limit"] or None,
            mode="camera_ready" if options["camera_ready"] else "submission",
            declared_main_body_pages=options["declared_main_body_pages"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            self._write_summary(path, report)
        if not report.ok:
            # Not a CommandError: the check worked, the paper did not pass.
            raise SystemExit(1)

    def _write_summary(self, path: Path, report: CheckReport) -> None:
        verdict = (
            self.style.SUCCESS("passes")
            if report.ok
            else self.style.ERROR("does not pass")
        )
        self.stdout.write(f"{path.name} {verdict}.")
        if report.pages is not None:
            facts = [counted(report.pages, "page")]
            if report.main_body_pages is not None:
                facts.append(f"main body {report.main_body_pages}")
            if report.references_page is not None:
                facts.append(f"references/appendix from page {report.references_page}")
            if report.page_size:
                facts.append(report.page_size)
            self.stdout.write("  " + ", ".join(facts))
        for issue in report.errors:
            self.stdout.write(
                self.style.ERROR(f"  error   {issue.code}: ") + issue.message
            )
        for issue in report.warnings:
            self.stdout.write(
                self.style.WARNING(f"  warning {issue.code}: ") + issue.message
            )

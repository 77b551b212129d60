import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.importing import ImportRefused, import_conference
from haet.wording import counted


class Command(BaseCommand):
    help = (
        "Restore a conference from an export_conference file into an empty "
        "deployment, in one transaction. --settings-only starts next year's "
        "edition: the configuration and the chairs, reviewers invited again, no "
        "submissions."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file export_conference wrote.")
        parser.add_argument(
            "--settings-only",
            action="store_true",
            help="Configuration and committee only (reviewers are invited again).",
        )
        parser.add_argument(
            "--files",
            dest="files_dir",
            help="The folder export_conference --files filled: copy files from it.",
        )

    def handle(self, *args, file, settings_only, files_dir, **options):
        try:
            # utf-8-sig: a file saved by a Windows editor starts with a BOM.
            document = json.loads(Path(file).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        folder = Path(files_dir) if files_dir else None
        if folder is not None and not folder.is_dir():
            raise CommandError(f"{files_dir} is not a folder.")
        try:
            summary = import_conference(
                document, settings_only=settings_only, files_dir=folder
            )
        except ImportRefused as error:
            raise CommandError(f"Nothing imported: {error}") from error
        counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Imported {counts}."))
        if summary.invited:
            self.stdout.write(
                f"Invited again: {counted(len(summary.invited), 'reviewer')}."
            )
        if summary.missing_files:
            self.stdout.write(
                self.style.WARNING(
                    f"{counted(len(summary.missing_files), 'file')} "
                    f"{'is' if len(summary.missing_files) == 1 else 'are'} not in "
                    "storage (copy them, or import with --files): "
                    + ", ".join(summary.missing_files[:5])
                )
            )
        self.stdout.write(
            "Passwords are never exported: people sign in with “Forgot password”."
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.exporting import ExportError, dumps, export_conference


class Command(BaseCommand):
    help = (
        "Write the whole conference as JSON (format: exchange/SCHEMA.md): the "
        "operator's export, every submission included. Files are referenced by "
        "path and SHA-256; --files DIR copies them too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The JSON file to write.")
        parser.add_argument(
            "--files", dest="files_dir", help="Also copy every stored file here."
        )

    def handle(self, *args, out, files_dir, **options):
        folder = Path(files_dir) if files_dir else None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        try:
            document = export_conference(files_dir=folder)
        except ExportError as error:
            raise CommandError(str(error)) from error
        Path(out).write_text(dumps(document), encoding="utf-8")
        counts = ", ".join(
            f"{len(rows)} {name}"
            for name, rows in document.items()
            if isinstance(rows, list) and rows
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {out}: {counts}."))

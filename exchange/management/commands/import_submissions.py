from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.imports.applying import apply_plan
from exchange.imports.decision_plan import parse_decision_map
from exchange.imports.planning import READERS, parse_topic_map, plan, read_files
from exchange.imports.records import ImportFileError
from exchange.imports.report import plan_lines
from haet.models import Conference, User
from haet.rules import CHAIRS


def acting_chair(email: str | None) -> User:
    """The chair the import is recorded under (--as), or the first chair."""
    chairs = User.objects.filter(groups__name=CHAIRS).order_by("pk")
    chair = chairs.filter(email__iexact=email).first() if email else chairs.first()
    if chair is None:
        raise CommandError(
            f"{email} is not a chair." if email else "There is no chair to act as."
        )
    return chair


class Command(BaseCommand):
    help = (
        "Import submissions from a CMT, EasyChair, HotCRP or OpenReview export. "
        "Prints what will be created, updated or skipped and why; --dry-run stops "
        "there. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="The export file(s).")
        parser.add_argument(
            "--from", dest="source", required=True, choices=sorted(READERS)
        )
        parser.add_argument("--pdfs", help="A folder with the submissions' PDFs.")
        parser.add_argument(
            "--topic-map",
            help="A file of lines “their topic = our topic” for topics named "
            "differently.",
        )
        parser.add_argument(
            "--decision-map",
            help="A file of lines “their decision = our outcome” (Accept (oral), "
            "Accept (poster), Reject, Desk reject or undecided). The file's "
            "decisions come in unreleased.",
        )
        parser.add_argument("--as", dest="chair", help="The importing chair's email.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(
        self, *args, files, source, pdfs, topic_map, decision_map, chair, dry_run, **_
    ):
        by = acting_chair(chair)
        try:
            contents = [(Path(name).name, Path(name).read_bytes()) for name in files]
            mapping: dict[str, str] = {}
            if topic_map:
                mapping, bad = parse_topic_map(Path(topic_map).read_text("utf-8"))
                if bad:
                    raise CommandError(f"Not “a = b” in the topic map: {bad[0]}")
            decisions: dict[str, str | None] = {}
            if decision_map:
                decisions, bad = parse_decision_map(
                    Path(decision_map).read_text("utf-8")
                )
                if bad:
                    raise CommandError(f"Not a decision map line: {bad[0]}")
            parsed = read_files(source, contents)
        except OSError as error:
            raise CommandError(f"Cannot read: {error}") from error
        except ImportFileError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        conference = Conference.objects.current()
        the_plan = plan(
            parsed,
            source=source,
            conference=conference,
            topic_map=mapping,
            decision_map=decisions,
            pdfs=Path(pdfs) if pdfs else None,
        )
        for line in plan_lines(the_plan):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            return
        result = apply_plan(the_plan, conference=conference, by=by)
        for line in result.summary():
            self.stdout.write(self.style.SUCCESS(line))

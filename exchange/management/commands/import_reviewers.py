from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.imports.records import ImportFileError
from exchange.imports.reviewers import ROLES, apply_reviewers, plan_reviewers
from exchange.management.commands.import_submissions import acting_chair
from haet.models import Conference


class Command(BaseCommand):
    help = (
        "Invite the reviewers of a list (CSV, tab-delimited or Excel: name, email, "
        "affiliation, topics, load). Prints who is invited, already invited or "
        "skipped and why; --dry-run stops there. --role area-chairs invites them as "
        "area chairs (the default for CMT's meta-reviewer list)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="chair", help="The inviting chair's email.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--role",
            choices=ROLES,
            help="Invite them as reviewers (default) or area chairs (default for "
            "CMT's meta-reviewer list).",
        )

    def handle(self, *args, file, chair, dry_run, role, **options):
        by = acting_chair(chair)
        try:
            plan = plan_reviewers(
                Path(file).read_bytes(),
                conference=Conference.objects.current(),
                role=role,
            )
        except (OSError, ImportFileError) as error:
            raise CommandError(f"Nothing imported: {error}") from error
        self.stdout.write(f"Inviting them as {plan.role.replace('-', ' ')}.")
        if plan.role_note:
            self.stdout.write(self.style.WARNING(plan.role_note))
        for line in plan.lines:
            self.stdout.write(f"{line.action:>8} line {line.line}: {line.email}")
            for reason in line.reasons:
                self.stdout.write(f"           {reason}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            return
        sent = apply_reviewers(plan, by=by)
        self.stdout.write(self.style.SUCCESS(f"Invited {len(sent)}."))

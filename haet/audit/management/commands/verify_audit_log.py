"""Check the audit log's hash chain from its first entry to its last."""

from django.core.management.base import BaseCommand, CommandError

from haet.audit.chain import seal_pending, verify
from haet.wording import agreeing, counted


class Command(BaseCommand):
    help = (
        "Recompute every audit entry's hash and its link to the one before; report "
        "the first entry where the chain breaks (exit status 1)."
    )

    def handle(self, *args, **options):
        sealed = seal_pending()  # left pending by a process that died after commit
        if sealed:
            self.stdout.write(f"Sealed {sealed} pending entries first.")
        checked, broken = verify()
        if broken is not None:
            raise CommandError(
                f"The audit log breaks at entry {broken.seq} (id {broken.pk}): "
                f"{broken.reason}. {counted(checked, 'entry', 'entries')} before it "
                f"{agreeing(checked, 'is', 'are')} intact."
            )
        intact = counted(checked, "entry", "entries")
        self.stdout.write(f"The audit log is intact: {intact}.")

"""The daily sweep of orphan files: stored files no row references.

The submission service removes the files of a transaction that rolls back; what it
cannot see (a rollback of an enclosing transaction, a worker killed between storing
a file and committing its row) leaves files that nothing can reach. They are kept a
day, so a request still between storing its files and committing is never robbed,
then deleted. Only the folders of submissions' own files are swept (other apps
share private storage under their own folders).
"""

from datetime import timedelta

from django.utils import timezone

from submissions.models import SubmissionVersion, SupplementaryFile, private_storage

SWEPT_FOLDERS = ("papers", "reviewer-copies", "supplementary")
ORPHAN_AGE = timedelta(days=1)


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, fields in (
        (SubmissionVersion, ("original", "reviewer_copy")),
        (SupplementaryFile, ("file", "reviewer_copy")),
    ):
        for row in model.objects.values_list(*fields):
            names.update(name for name in row if name)
    return names


def sweep_orphan_files(*, older_than: timedelta = ORPHAN_AGE) -> list[str]:
    """Delete unreferenced files last modified more than `older_than` ago; return
    their names. Running it twice is harmless: the second run finds nothing."""
    # Files are dated by the real clock (their modification time), not by the demo
    # clock (haet.clock), so their age is measured by the real clock too.
    cutoff = timezone.now() - older_than
    # Listed before the references are read: a file stored and committed in
    # between is referenced by then; one stored after is not listed.
    listed = []
    for folder in SWEPT_FOLDERS:
        try:
            _, files = private_storage.listdir(folder)
        except FileNotFoundError:
            continue
        listed += [f"{folder}/{name}" for name in files]
    referenced = referenced_names()
    removed = []
    for name in listed:
        if name in referenced:
            continue
        try:
            if private_storage.get_modified_time(name) > cutoff:
                continue
            private_storage.delete(name)
        except FileNotFoundError:  # removed meanwhile (a concurrent sweep)
            continue
        removed.append(name)
    return removed

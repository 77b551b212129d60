"""The audit log in the conference export (issue 18): the section `audit_log`.

Export: every sealed entry the exporter may see, in chain order (a conflicted
chair's export leaves out the entries about their submissions and the mails
linked to them). People are emails and submissions numbers, as in the rest of the
document; the ids the entry's hash covers (`actor_id`, `submission_id`, from the
deployment that wrote it) travel too, so the chain can be checked anywhere.

Import (a full import only): the chain in the file is checked first (numbering
from 1, links, each entry's hash) and a break refuses the whole import, naming the
entry. The entries are then inserted as they are (same seq, hashes, ids in
`AuditEntry.imported`), with `actor` and `submission_id` pointing at this
deployment's rows, so `verify_audit_log` passes and the next entry written here
links to the last imported one. The import itself writes no entries (it runs with
auditing switched off): the log reads as if the conference had always been here.
"""

from datetime import datetime
from typing import Any

from haet.audit.chain import digest, instant
from haet.audit.models import MAIL_TYPE, NOBODY, UNKNOWN_SUBMISSION, AuditEntry
from haet.outbox.models import OutboxMailSubmission

SECTION = "audit_log"


class ChainBroken(Exception):
    """The exported chain does not verify; the message names the entry."""


def export_rows(
    *,
    hidden: set[int],
    emails: dict[int, str],
    numbers: dict[int, Any],
    referenced_users: set[int],
    reader: int | None = None,
) -> list[dict[str, Any]]:
    """The section's rows. `emails`: user pk -> email; `numbers`: submission pk ->
    number (of the exported submissions); the actors named are added to
    `referenced_users` (a chair's export lists them among the people). `reader`: the
    exporting chair, who gets no entry about another chair's private tag or search
    (None: the operator's export, every entry)."""
    entries = (
        AuditEntry.objects.without_submissions(hidden) if hidden else AuditEntry.objects
    )
    if reader is not None:
        entries = entries.readable_by(reader)
    entries = entries.filter(seq__isnull=False).order_by("seq")
    mail_ids = entries.filter(object_type=MAIL_TYPE).values_list("object_id", flat=True)
    links: dict[int, list[Any]] = {}
    for mail_id, submission_id in OutboxMailSubmission.objects.filter(
        mail_id__in=mail_ids
    ).values_list("mail_id", "submission_id"):
        if submission_id in numbers:
            links.setdefault(mail_id, []).append(numbers[submission_id])
    rows = []
    for entry in entries.iterator(chunk_size=2000):
        ids = entry.imported or {
            "actor_id": entry.actor_id,
            "submission_id": entry.submission_id,
        }
        if entry.actor_id in emails:
            referenced_users.add(entry.actor_id)
        number = numbers.get(entry.submission_id or 0)
        if entry.imported is None:
            mails = links.get(entry.object_id or 0, [])
        else:
            mails = entry.imported.get("mail_submissions", [])
            number = entry.imported.get("submission", number) if mails else number
        rows.append(
            {
                "seq": entry.seq,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "submission": number,
                "mail_submissions": sorted(mails, key=str),
                "before": entry.before,
                "after": entry.after,
                "at": instant(entry.at),
                "wall_at": instant(entry.wall_at),
                "request_id": entry.request_id,
                "actor": emails.get(entry.actor_id or 0),
                # Whose private object the entry is about: an email, or the
                # "nobody" id when its owner could not be read.
                "private_to": (
                    None
                    if entry.private_to is None
                    else emails.get(entry.private_to, NOBODY)
                ),
                "actor_id": ids.get("actor_id"),
                "submission_id": ids.get("submission_id"),
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
                "hash_version": entry.hash_version,
            }
        )
    return rows


def _entry(row: Any, place: int) -> AuditEntry:
    """One row as an (unsaved) entry with the ids its hash covers."""
    if not isinstance(row, dict):
        raise ChainBroken(f"audit_log entry {place} is not an object.")
    try:
        imported = {
            "actor_id": row["actor_id"],
            "submission_id": row["submission_id"],
        }
        if row.get("mail_submissions"):
            # The mail's submissions decide who sees it here (import_entries
            # points submission_id at one); kept to export the entry as it came.
            imported["mail_submissions"] = list(row["mail_submissions"])
            imported["submission"] = row["submission"]
        entry = AuditEntry(
            seq=row["seq"],
            action=row["action"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            before=row["before"],
            after=row["after"],
            at=datetime.fromisoformat(row["at"]),
            wall_at=datetime.fromisoformat(row["wall_at"]),
            request_id=row["request_id"],
            prev_hash=row["prev_hash"],
            hash=row["hash"],
            # Files written before the field existed hold version 1 entries only.
            hash_version=row.get("hash_version", 1),
            imported=imported,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ChainBroken(
            f"audit_log entry {place} is incomplete or malformed ({error!r})."
        ) from error
    if not isinstance(entry.before, dict) or not isinstance(entry.after, dict):
        raise ChainBroken(f"audit_log entry {place}: before/after are not objects.")
    return entry


def check_chain(rows: list[Any]) -> list[AuditEntry]:
    """The rows as entries, if they form an unbroken chain from entry 1 (as
    `verify_audit_log` checks it); ChainBroken naming the first bad entry."""
    entries, previous = [], ""
    for place, row in enumerate(rows, start=1):
        entry = _entry(row, place)
        if entry.seq != place:
            raise ChainBroken(
                f"The audit log breaks at entry {place}: entry {entry.seq} is there "
                "(entries were removed, or the export leaves some out, as a "
                "conflicted chair's does)."
            )
        if entry.prev_hash != previous:
            raise ChainBroken(
                f"The audit log breaks at entry {place}: its link does not match "
                "the previous entry's hash."
            )
        if digest(entry) != entry.hash:
            raise ChainBroken(
                f"The audit log breaks at entry {place}: its content does not "
                "match its hash (edited?)."
            )
        entries.append(entry)
        previous = entry.hash
    return entries


def import_entries(
    entries: list[AuditEntry],
    rows: list[dict],
    *,
    user_pks: dict[str, int],
    submission_pks: dict[Any, int],
) -> int:
    """Insert checked entries (check_chain) with their actor and submission found
    in this deployment: by email and number. A mail entry is about its linked
    submission (UNKNOWN_SUBMISSION, seen by no chair, when it names several)."""
    for entry, row in zip(entries, rows, strict=True):
        entry.actor_id = user_pks.get(row.get("actor") or "")
        private_to = row.get("private_to")
        if private_to is not None:  # an owner this deployment lacks: nobody reads it
            entry.private_to = user_pks.get(str(private_to), NOBODY)
        mails = row.get("mail_submissions") or []
        original = row["submission_id"]
        if len(mails) > 1:
            entry.submission_id = UNKNOWN_SUBMISSION
        elif mails:
            entry.submission_id = submission_pks.get(mails[0], UNKNOWN_SUBMISSION)
        elif row.get("submission") is not None:
            entry.submission_id = submission_pks.get(
                row["submission"], UNKNOWN_SUBMISSION
            )
        else:
            # No submission, or one deleted before the export (nothing here has
            # its id): only the "unknown" marker stays hidden from every chair.
            entry.submission_id = (
                UNKNOWN_SUBMISSION if original == UNKNOWN_SUBMISSION else None
            )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)

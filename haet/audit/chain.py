"""The hash chain: appending an entry, sealing it, and checking the whole log.

An entry is written in the transaction of the change it records, but *pending*:
without its place in the chain (`seq`) or its hash. When that transaction commits,
`seal_pending` gives every committed pending entry the next number and its hash
(sha256 over a canonical JSON of its fields and the previous entry's hash), in a
short transaction of its own under a PostgreSQL advisory lock, so concurrent
sealers extend one chain.

Why not link at write time: the head of the chain would have to stay locked from
an entry's write until its transaction commits, so every audited write of the site
would wait for the slowest open transaction (a decision release of a few seconds
would stall 300 authors uploading in the last hour). Sealing after commit holds the
lock for one small UPDATE instead. A rolled-back change leaves no entry (it was in
the same transaction); a process that dies between commit and sealing leaves its
entries pending, and the next seal (any later commit, or `verify_audit_log`)
chains them.
"""

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from haet import clock
from haet.audit import context
from haet.audit.models import AuditEntry

# pg_advisory_xact_lock's key: any constant no other code of haet uses.
LOCK_KEY = 0x4A0D17  # "audit"

REDACTED = "[redacted]"
# A field whose name has one of these words never has its value logged, only that it
# changed: passwords, tokens, secrets, sessions, hashes of credentials, and keys
# ("api_key", "key_hash"; a lone "key" is a slug, and "keywords" no key at all).
SECRET_WORDS = frozenset(
    {"password", "passwd", "token", "tokens", "secret", "session", "hash"}
)


def is_secret(field: str) -> bool:
    words = [word for word in re.split(r"[^a-z0-9]+", field.lower()) if word]
    return any(w in SECRET_WORDS for w in words) or ("key" in words and len(words) > 1)


def plain(value: Any) -> Any:
    """A value as JSON, the same before storing and after reading it back."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    name = getattr(value, "name", None)  # a FieldFile: its storage name
    if isinstance(name, str) and hasattr(value, "storage"):
        return name
    return str(value)


def instant(value: datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


# Version 2 of the canonical form (entries written since redaction exists) hashes
# each logged value's own digest instead of the value, so a value can later be
# replaced by its digest (haet.audit.redaction: a person's erased data) and the
# entry still verifies; anything else edited still breaks it. Version 1 entries
# (written before) hash the values themselves and cannot be redacted.
REDACTION_KEY = "$redacted"


def value_digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def is_redaction(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {REDACTION_KEY}


def _hashed_values(values: dict, version: int) -> dict:
    if version < 2:
        return values
    return {
        key: value[REDACTION_KEY] if is_redaction(value) else value_digest(value)
        for key, value in values.items()
    }


def canonical(entry: AuditEntry) -> bytes:
    # An imported entry was hashed with the ids of the deployment it was written
    # in; `imported` keeps them (its live actor and submission point here).
    ids = entry.imported or {
        "actor_id": entry.actor_id,
        "submission_id": entry.submission_id,
    }
    fields = {
        "seq": entry.seq,
        "actor_id": ids.get("actor_id"),
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "submission_id": ids.get("submission_id"),
        "before": _hashed_values(entry.before, entry.hash_version),
        "after": _hashed_values(entry.after, entry.hash_version),
        "at": instant(entry.at),
        "wall_at": instant(entry.wall_at),
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }
    if entry.hash_version >= 2:  # so a downgrade to version 1 shows too
        fields["version"] = entry.hash_version
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def digest(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def append(
    *,
    action: str,
    object_type: str,
    object_id: int | None,
    submission_id: int | None,
    before: dict,
    after: dict,
    private_to: int | None = None,
) -> AuditEntry | None:
    """Write one entry at the head of the chain, in the caller's transaction (or
    its own when there is none). None when auditing is switched off."""
    if not context.is_enabled():
        return None
    ctx = context.current()
    entry = AuditEntry(
        actor_id=ctx.actor(),
        action=context.current_action() or action,
        object_type=object_type,
        object_id=object_id,
        submission_id=submission_id,
        before={k: REDACTED if is_secret(k) else plain(v) for k, v in before.items()},
        after={k: REDACTED if is_secret(k) else plain(v) for k, v in after.items()},
        at=clock.now(),
        wall_at=timezone.now(),
        request_id=ctx.request_id[:64],
        private_to=private_to,
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(entry)
        return entry
    entry.save(force_insert=True)
    _seal_on_commit()
    return entry


# Entries collected by `batched()` instead of inserted one by one.
_batch: ContextVar[list[AuditEntry] | None] = ContextVar("audit_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Entries appended inside are inserted together when the block ends (one
    query, not one per entry): for rows `bulk_create` wrote in bulk."""
    entries: list[AuditEntry] = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    if entries:
        AuditEntry.objects.bulk_create(entries)
        _seal_on_commit()


def _seal_on_commit() -> None:
    """Seal after the current transaction commits (at once outside one); one
    callback per transaction, however many entries it writes. A rollback to a
    savepoint drops the callbacks registered inside it, which is why a callback
    queued in an outer block is looked for rather than a flag kept."""
    if any(queued[1] is _seal for queued in connection.run_on_commit):
        return
    transaction.on_commit(_seal, robust=True)


def _seal() -> None:
    seal_pending()


def seal_pending() -> int:
    """Chain every committed pending entry, oldest first; returns how many."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("pk"))
        if not pending:
            return 0
        head = (
            AuditEntry.objects.filter(seq__isnull=False)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, previous = (head[0] or 0, head[1]) if head else (0, "")
        for entry in pending:
            seq += 1
            entry.seq, entry.prev_hash = seq, previous
            entry.hash = previous = digest(entry)
        AuditEntry.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
    return len(pending)


@dataclass(frozen=True)
class Break:
    seq: int
    pk: int
    reason: str


def verify(batch: int = 2000) -> tuple[int, Break | None]:
    """(entries checked, the first break or None). Reads the log in seq order in
    batches; an edited entry fails its own hash, a removed or inserted one the next
    entry's link or the numbering."""
    checked = 0
    previous_hash = ""
    expected_seq = 1
    for entry, seq in _entries(batch):
        if seq != expected_seq:
            return checked, Break(
                seq, entry.pk, f"expected entry {expected_seq} here: removed?"
            )
        if entry.prev_hash != previous_hash:
            return checked, Break(
                seq,
                entry.pk,
                "its link to the previous entry does not match that entry's hash",
            )
        if digest(entry) != entry.hash:
            return checked, Break(
                seq, entry.pk, "its content does not match its hash: edited?"
            )
        checked += 1
        previous_hash = entry.hash
        expected_seq += 1
    return checked, None


def _entries(batch: int) -> Iterator[tuple[AuditEntry, int]]:
    """Sealed entries with their place in the chain, in order (pending ones, seq
    NULL, are not in the chain yet: seal_pending first)."""
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        for row in rows:
            last = row.seq or last
            yield row, last
        if len(rows) < batch:
            return

"""Erasing a person from the audit log without breaking the chain.

When an account is anonymised (exchange.deletion), the log still holds who the
person was: their address and name among the values of the entries about them (the
account's own changes, an author row, an invitation, a declared conflict). Since
version 2 of the canonical form (haet.audit.chain) an entry's hash covers each
value's digest rather than the value, so such a value is replaced by
``{"$redacted": <its digest>}``: the entry keeps what happened, when, by whom and
about which object, `verify_audit_log` still passes, and the value is gone. Any
other edit still breaks the chain, and a redacted value shows as redacted.

A value is redacted when its text holds one of the strings as a whole word (an
address, a full name), compared case-insensitively. Entries written before
version 2 hash their values themselves and cannot be redacted: they are counted, so
the caller can say so.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from haet.audit.chain import REDACTION_KEY, is_redaction, value_digest
from haet.audit.models import AuditEntry, AuditEntryQuerySet

# Shorter strings ("Li", "Bo") would blank unrelated values.
SHORTEST = 3


@dataclass(frozen=True)
class Redaction:
    entries: int  # entries changed
    values: int  # values replaced by their digest
    unredactable: int  # version-1 entries holding one of the strings, left as they are


def redact(strings: Iterable[str]) -> Redaction:
    """Replace every logged value that holds one of `strings` by its digest."""
    needles = sorted({s.strip() for s in strings if len(s.strip()) >= SHORTEST})
    if not needles:
        return Redaction(0, 0, 0)
    patterns = [
        re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.IGNORECASE)
        for needle in needles
    ]
    changed: list[AuditEntry] = []
    values = unredactable = 0
    for entry in _candidates(needles).iterator(chunk_size=500):
        before, count_before = _redacted(entry.before, patterns)
        after, count_after = _redacted(entry.after, patterns)
        if not count_before + count_after:
            continue  # the database's match was not a whole word
        if entry.hash_version < 2:
            unredactable += 1
            continue
        entry.before, entry.after = before, after
        values += count_before + count_after
        changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["before", "after"], batch_size=500)
    return Redaction(len(changed), values, unredactable)


def _candidates(needles: list[str]) -> AuditEntryQuerySet:
    """Entries whose values might hold a string: a coarse filter in the database
    (the JSON's text; SQLite stores non-ASCII characters escaped)."""
    match = Q()
    for needle in needles:
        for form in {needle, json.dumps(needle)[1:-1]}:
            match |= Q(before_text__icontains=form) | Q(after_text__icontains=form)
    return (
        AuditEntry.objects.annotate(
            before_text=Cast("before", TextField()),
            after_text=Cast("after", TextField()),
        )
        .filter(match)
        .order_by("pk")
    )


def _redacted(values: dict, patterns: list[re.Pattern[str]]) -> tuple[dict, int]:
    result, count = {}, 0
    for key, value in values.items():
        text = json.dumps(value, ensure_ascii=False)
        if not is_redaction(value) and any(p.search(text) for p in patterns):
            result[key] = {REDACTION_KEY: value_digest(value)}
            count += 1
        else:
            result[key] = value
    return result, count

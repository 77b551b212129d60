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


def needles_of(strings: Iterable[str]) -> list[str]:
    """The strings worth looking for, trimmed, longest first (so a full name goes
    before the first name it starts with); shorter than SHORTEST ones left out."""
    needles = {s.strip() for s in strings if len(s.strip()) >= SHORTEST}
    return sorted(needles, key=lambda needle: (-len(needle), needle))


def whole_words(needles: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of `needles` as a whole word, case-insensitively
    (the longest first where they overlap). `needles` must not be empty."""
    alternatives = "|".join(re.escape(needle) for needle in needles)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact(strings: Iterable[str]) -> Redaction:
    """Replace every logged value that holds one of `strings` by its digest."""
    needles = needles_of(strings)
    if not needles:
        return Redaction(0, 0, 0)
    pattern = whole_words(needles)
    changed: list[AuditEntry] = []
    values = unredactable = 0
    for entry in _candidates(needles).iterator(chunk_size=500):
        before, count_before = _redacted(entry.before, pattern)
        after, count_after = _redacted(entry.after, pattern)
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


def _redacted(values: dict, pattern: re.Pattern[str]) -> tuple[dict, int]:
    result, count = {}, 0
    for key, value in values.items():
        text = json.dumps(value, ensure_ascii=False)
        if not is_redaction(value) and pattern.search(text):
            result[key] = {REDACTION_KEY: value_digest(value)}
            count += 1
        else:
            result[key] = value
    return result, count

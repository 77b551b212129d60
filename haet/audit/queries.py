"""Reading the log: what a chair may see of it, filtered, and its rows as a page or
a CSV shows them. Only chairs read the log; a conflicted chair never sees an entry
about a submission they are conflicted with (nor a mail linked to one)."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q

from haet.audit.chain import is_redaction
from haet.audit.models import AuditEntry, AuditEntryQuerySet
from haet.audit.registry import submission_lookup, user_fields
from haet.listing import person_match
from haet.models import User
from haet.rules import conflicted_submission_ids

SHORT = 80  # characters of a value shown in a list cell
ERASED = "[erased]"


def visible_entries(user: Any) -> AuditEntryQuerySet:
    """Every entry `user` (a chair) may see."""
    return AuditEntry.objects.without_submissions(
        conflicted_submission_ids(user)
    ).readable_by(user.pk)


def visible_submission_id(user: Any, number: int) -> int | None:
    """The id of submission `number` if it exists and `user` may see it."""
    submission_id = submission_lookup.id_of(number)
    if submission_id is None or submission_id in conflicted_submission_ids(user):
        return None
    return submission_id


@dataclass(frozen=True)
class Filters:
    action: str = ""
    actor: str = ""
    submission_id: int | None = None
    since: date | None = None
    until: date | None = None


def filtered(entries: AuditEntryQuerySet, filters: Filters) -> AuditEntryQuerySet:
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor:
        entries = entries.filter(person_match(filters.actor, "actor__"))
    if filters.submission_id is not None:
        entries = entries.about_submission(filters.submission_id)
    # Whole UTC days, whatever the server's time zone.
    if filters.since:
        entries = entries.filter(at__gte=datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        entries = entries.filter(at__lt=end)
    return entries


def search(entries: AuditEntryQuerySet, q: str) -> AuditEntryQuerySet:
    """The search box: words in the action, the object's type or the request id."""
    for word in q.split()[:10]:
        entries = entries.filter(
            Q(action__icontains=word)
            | Q(object_type__icontains=word)
            | Q(request_id__iexact=word)
        )
    return entries


def action_names(entries: AuditEntryQuerySet) -> list[str]:
    return list(entries.order_by("action").values_list("action", flat=True).distinct())


PENDING = Q(seq__isnull=True)  # written, not yet sealed in the chain


def action_names_and_pending(entries: AuditEntryQuerySet) -> tuple[list[str], int]:
    """`action_names` and how many of `entries` are pending, in the one query the
    log page already ran for the names (grouped by action instead of distinct)."""
    counts = list(
        entries.order_by("action")
        .values_list("action")
        .annotate(pending=Count("pk", filter=PENDING))
    )
    names = [name for name, _ in counts]
    return names, sum(pending for _, pending in counts)


def size_and_pending(entries: AuditEntryQuerySet) -> tuple[int, int]:
    """How many `entries` there are and how many of them are pending, in one query
    (the paginator's count, which this one spares)."""
    counts = entries.aggregate(size=Count("pk"), pending=Count("pk", filter=PENDING))
    return counts["size"], counts["pending"]


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    submission_number: int | None
    changes: list[tuple[str, str, str]]

    @property
    def object_label(self) -> str:
        kind = self.entry.object_type.rpartition(".")[2]
        return f"{kind} {self.entry.object_id}" if self.entry.object_id else kind


def shown(value: object, limit: int | None = SHORT) -> str:
    if value is None:
        return "—"
    if is_redaction(value):  # erased with the person's account (audit.redaction)
        return ERASED
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if limit and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def rows(entries: Iterable[AuditEntry], limit: int | None = SHORT) -> list[Row]:
    """Entries with their submission's number and the people their changes name
    (one query each for all the entries), their changes as text."""
    entries = list(entries)
    ids = {e.submission_id for e in entries if e.submission_id is not None}
    numbers = submission_lookup.numbers(ids) if ids else {}
    people_fields = user_fields()
    # An imported entry's values hold the old deployment's user ids: shown as
    # they are, never as whoever has that id here.
    person_ids = {
        value
        for e in entries
        if e.imported is None
        for name in people_fields.get(e.object_type, ())
        for value in (e.before.get(name), e.after.get(name))
        if isinstance(value, int)
    }
    people = (
        {
            pk: f"{name or email} <{email}>" if name else email
            for pk, name, email in User.objects.filter(pk__in=person_ids).values_list(
                "pk", "name", "email"
            )
        }
        if person_ids
        else {}
    )

    def text(entry: AuditEntry, name: str, value: object) -> str:
        if (
            entry.imported is None
            and name in people_fields.get(entry.object_type, ())
            and value in people
        ):
            return people[value]
        return shown(value, limit)

    return [
        Row(
            entry=e,
            submission_number=numbers.get(e.submission_id or 0),
            changes=[
                (name, text(e, name, before), text(e, name, after))
                for name, before, after in e.changed_fields
            ],
        )
        for e in entries
    ]


CSV_HEADER = [
    "conference_time",
    "wall_time",
    "actor",
    "action",
    "object_type",
    "object_id",
    "submission",
    "before",
    "after",
    "request_id",
]


def csv_rows(entries: AuditEntryQuerySet, batch: int = 1000) -> Iterable[list[str]]:
    """The CSV's lines, read in batches of `batch` entries (a query each, plus one
    for their submissions' numbers)."""
    yield CSV_HEADER
    last = None
    entries = entries.select_related("actor").order_by("-pk")
    while True:
        chunk = list((entries.filter(pk__lt=last) if last else entries)[:batch])
        for row in rows(chunk, limit=None):
            e = row.entry
            yield [
                _iso(e.at),
                _iso(e.wall_at),
                e.actor.email if e.actor else "",
                e.action,
                e.object_type,
                "" if e.object_id is None else str(e.object_id),
                "" if row.submission_number is None else str(row.submission_number),
                json.dumps(e.before, ensure_ascii=False, sort_keys=True),
                json.dumps(e.after, ensure_ascii=False, sort_keys=True),
                e.request_id,
            ]
        if len(chunk) < batch:
            return
        last = chunk[-1].pk


def _iso(value: datetime) -> str:
    return value.isoformat()

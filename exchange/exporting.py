"""Export the conference as one JSON document (the format is in `exchange.schema`).

`export_conference()` is the operator's full export (`manage.py export_conference`);
`export_conference(viewer=chair)` is what that chair may see: the rows of the
submissions they are conflicted with are left out, with their reviews, decisions,
bids and the rest. Reads only.
"""

import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from allauth.account.models import EmailAddress
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from awards.models import Judgement
from awards.ranking import renumber_ranks
from exchange import audit_log
from exchange.schema import (
    AUDIT_LOG,
    EMPTY_SECTIONS,
    FORMAT,
    SECTIONS,
    USER_FIELDS,
    VERSION,
    Section,
)
from haet.models import AwardCategory, Conference, User
from haet.rules import CHAIRS, REVIEWERS, conflicted_submission_ids
from reviews.models import ReviewQuestion
from submissions.models import Submission


class ExportError(Exception):
    """The data cannot be written in the format (two rows share a natural key)."""


def json_value(value: Any) -> Any:
    """A field's value as JSON: times in UTC, ISO 8601."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def exported_fields(model: type[models.Model], section: Section | None) -> list:
    """The concrete fields a row carries: not the id, not the conference link."""
    excluded = section.exclude if section is not None else ()
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in excluded
        and not (f.is_relation and f.related_model is Conference)
    ]


def file_digest(fieldfile: FieldFile) -> tuple[str, int] | None:
    """(SHA-256, size) of a stored file; None when storage does not have it."""
    storage, name = fieldfile.storage, fieldfile.name or ""
    if not storage.exists(name):
        return None
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class Exporter:
    def __init__(
        self,
        *,
        hidden: set[int],
        files_dir: Path | None,
        full: bool,
        reader: int | None = None,
    ):
        self.hidden = hidden
        self.reader = reader  # the exporting chair (haet.audit: private entries)
        self.files_dir = files_dir
        self.full = full
        self.keys: dict[type[models.Model], dict[int, Any]] = {}
        self.referenced_users: set[int] = set()
        self.lookups = {
            "award_names": dict(AwardCategory.objects.values_list("pk", "name")),
            "nomination_keys": set(
                ReviewQuestion.objects.filter(
                    kind=ReviewQuestion.Kind.NOMINATIONS
                ).values_list("key", flat=True)
            ),
        }

    # --- natural keys ------------------------------------------------------------
    def queryset(self, section: Section) -> models.QuerySet:
        rows = section.model._default_manager.order_by("pk")
        if self.hidden and section.submission_path:
            rows = rows.exclude(**{f"{section.submission_path}__in": self.hidden})
        return rows

    def ref(self, model: Any, pk: Any) -> Any:
        if model is User:
            self.referenced_users.add(pk)
        try:
            return self.keys[model][pk]
        except KeyError:
            raise ExportError(
                f"A row refers to {model._meta.verbose_name} {pk}, which is not "
                "exported."
            ) from None

    def value(self, field: Any, raw: Any) -> Any:
        if field.is_relation:
            return None if raw is None else self.ref(field.related_model, raw)
        return json_value(raw)

    def build_keys(self) -> None:
        self.keys[User] = dict(User.objects.values_list("pk", "email"))
        for section in SECTIONS:
            if section.key is None:
                continue
            fields: list[Any] = [
                section.model._meta.get_field(name) for name in section.key
            ]
            found: dict[int, Any] = {}
            seen: dict[str, int] = {}
            attnames = [f.attname for f in fields]
            for pk, *raw in self.queryset(section).values_list("pk", *attnames):
                parts = [self.value(f, r) for f, r in zip(fields, raw, strict=True)]
                key = parts[0] if len(parts) == 1 else parts
                text = json.dumps(key)
                if text in seen:
                    raise ExportError(
                        f"Two {section.name} share the key {text}: rename one "
                        "before exporting."
                    )
                seen[text] = pk
                found[pk] = key
            self.keys[section.model] = found

    # --- rows --------------------------------------------------------------------
    def file_ref(self, fieldfile: FieldFile) -> dict | None:
        if not fieldfile.name:
            return None
        found = file_digest(fieldfile)
        if found is not None and self.files_dir is not None:
            target = self.files_dir / fieldfile.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with (
                fieldfile.storage.open(fieldfile.name, "rb") as source,
                target.open("wb") as copy,
            ):
                shutil.copyfileobj(source, copy)
        return {
            "path": fieldfile.name,
            "sha256": found[0] if found else None,
            "size": found[1] if found else None,
        }

    def row(self, obj: models.Model, section: Section | None) -> dict:
        row: dict[str, Any] = {}
        for f in exported_fields(type(obj), section):
            if isinstance(f, models.FileField):
                row[f.name] = self.file_ref(getattr(obj, f.name))
            else:
                row[f.name] = self.value(f, getattr(obj, f.attname))
        for m2m in type(obj)._meta.many_to_many:
            related = [
                self.ref(m2m.related_model, o.pk) for o in getattr(obj, m2m.name).all()
            ]
            row[m2m.name] = sorted(related, key=json.dumps)
        if section is not None and section.to_json is not None:
            row = section.to_json(row, self.lookups)
        return row

    def section_rows(self, section: Section) -> list[dict]:
        rows = self.queryset(section)
        m2m = [f.name for f in section.model._meta.many_to_many]
        if m2m:
            rows = rows.prefetch_related(*m2m)
        objects = list(rows)
        if section.model is Judgement and self.hidden:
            # Ranks as the chairs' judging page shows them to this chair:
            # counted among the papers exported (awards.ranking).
            renumber_ranks(objects)
        return [self.row(obj, section) for obj in objects]

    def users(self) -> list[dict]:
        verified = set(
            EmailAddress.objects.filter(verified=True).values_list("user_id", "email")
        )
        people = []
        users = User.objects.order_by("pk").prefetch_related("groups")
        if not self.full:
            # A chair's export names the people its rows name, and the committee
            # (as the people page does): not every account, so an author of a
            # hidden submission is not listed because of it.
            users = users.filter(
                Q(pk__in=self.referenced_users)
                | Q(groups__name__in=[CHAIRS, REVIEWERS])
            ).distinct()
        for user in users:
            row = {name: getattr(user, name) for name in USER_FIELDS}
            row.update(
                is_active=user.is_active,
                date_joined=json_value(user.date_joined),
                roles=sorted(group.name for group in user.groups.all()),
                email_verified=(user.pk, user.email) in verified,
            )
            people.append(row)
        return people

    def run(self) -> dict[str, Any]:
        self.build_keys()
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "conference": self.row(Conference.objects.current(), None),
            "users": [],
        }
        for section in SECTIONS:
            if section.is_operator_only and not self.full:
                continue
            document[section.name] = self.section_rows(section)
        document[AUDIT_LOG] = audit_log.export_rows(
            hidden=self.hidden,
            reader=self.reader,
            emails=self.keys[User],
            numbers=self.keys[Submission],
            referenced_users=self.referenced_users,
        )
        document["users"] = self.users()  # after the rows: they say who is named
        for name in EMPTY_SECTIONS:
            document[name] = []
        return document


def export_conference(
    *, viewer: User | None = None, files_dir: Path | None = None
) -> dict[str, Any]:
    """The conference as a JSON-ready dict. `viewer` None: everything (the
    operator's export); a chair: without the submissions they are conflicted with
    and every row about them. `files_dir`: also copy every file there, under its
    path in storage."""
    hidden = conflicted_submission_ids(viewer) if viewer is not None else set()
    return Exporter(
        hidden=hidden,
        files_dir=files_dir,
        full=viewer is None,
        reader=viewer.pk if viewer is not None else None,
    ).run()


def dumps(document: dict[str, Any]) -> str:
    """The document as text: the same data gives the same bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

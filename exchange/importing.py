"""Import a conference export into a deployment, in one transaction.

A full import needs an empty deployment (no person, no submission): it restores
every section. `settings_only` starts next year's edition: the configuration
(sections marked `is_setting`), the chairs (accounts with the chair role) and the
reviewers (invited again, one mail each), no submissions; it refuses a deployment
that already has submissions. Anything wrong in the file stops the import before
anything is written (ImportRefused, with the reason).
"""

import copy
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from allauth.account.models import EmailAddress
from django.core.files import File
from django.db import models, transaction

from exchange import audit_log
from exchange.exporting import exported_fields
from exchange.roles import grant_group
from exchange.schema import (
    ALL_KEYS,
    AUDIT_LOG,
    FORMAT,
    SECTIONS,
    USER_FIELDS,
    VERSION,
    Section,
)
from haet import audit
from haet.audit.models import AuditEntry
from haet.models import AwardCategory, Conference, User
from haet.rules import CHAIRS, REVIEWERS
from haet.wording import counted
from reviews.models import ReviewQuestion
from reviews.pool import invite_reviewer
from submissions.models import Submission


class ImportRefused(Exception):
    """The file or the deployment does not allow the import; nothing was written."""


@dataclass
class ImportSummary:
    counts: dict[str, int] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)


@contextmanager
def recorded_times(models_: list[type[models.Model]]) -> Iterator[None]:
    """Write created_at/updated_at as exported instead of now."""
    changed: list[tuple[Any, bool, bool]] = []
    for model in models_:
        for f in model._meta.concrete_fields:
            field_: Any = f  # DateField and DateTimeField have these
            if getattr(field_, "auto_now", False) or getattr(
                field_, "auto_now_add", False
            ):
                changed.append((field_, field_.auto_now, field_.auto_now_add))
                field_.auto_now = field_.auto_now_add = False
    try:
        yield
    finally:
        for field_, auto_now, auto_now_add in changed:
            field_.auto_now, field_.auto_now_add = auto_now, auto_now_add


def safe_path(path: Any) -> str:
    """A stored file's path from the file: relative, inside storage."""
    if not isinstance(path, str) or not path:
        raise ImportRefused(f"A file reference has no path: {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise ImportRefused(f"A file path leaves the storage: {path!r}")
    return path


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


class Importer:
    def __init__(self, document: dict, *, settings_only: bool, files_dir: Path | None):
        self.document = document
        self.settings_only = settings_only
        self.files_dir = files_dir
        self.summary = ImportSummary()
        self.index: dict[type[models.Model], dict[str, int]] = {User: {}}
        self.deferred: list[tuple[type[models.Model], Any, Any, Any]] = []
        self.conference = Conference.objects.current()

    # --- checks ------------------------------------------------------------------
    def check_document(self) -> None:
        doc = self.document
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ImportRefused(f"This is not a haet conference export ({FORMAT}).")
        if doc.get("version") != VERSION:
            raise ImportRefused(
                f"Export version {doc.get('version')!r}; this haet reads version "
                f"{VERSION}."
            )
        unknown = sorted(set(doc) - set(ALL_KEYS))
        if unknown:
            raise ImportRefused(f"Unknown sections: {', '.join(unknown)}.")
        for name in ALL_KEYS[3:]:
            if not isinstance(doc.get(name, []), list):
                raise ImportRefused(f"Section {name} is not a list.")
        if not isinstance(doc.get("conference", {}), dict):
            raise ImportRefused("The conference is not an object.")
        for person in doc.get("users", []):
            if not isinstance(person, dict) or not isinstance(person.get("email"), str):
                raise ImportRefused(f"A person without an email address: {person!r}")

    def check_deployment(self) -> None:
        people, submissions = User.objects.count(), Submission.objects.count()
        if self.settings_only and submissions:
            raise ImportRefused(
                f"This deployment has {counted(submissions, 'submission')}: "
                "--settings-only starts a new edition in a deployment without any."
            )
        if not self.settings_only and (people or submissions):
            raise ImportRefused(
                f"This deployment is not empty ({people} people, {submissions} "
                "submissions): import into a fresh database, or use --settings-only."
            )
        if (
            not self.settings_only
            and AuditEntry.objects.filter(actor_id__isnull=False).exists()
        ):
            raise ImportRefused(
                "This deployment's audit log records people's actions: the file's "
                "log can only start the log of a fresh database."
            )

    # --- references --------------------------------------------------------------
    def resolve(self, model: Any, key: Any, *, optional: bool) -> Any:
        found = self.index.get(model, {}).get(json.dumps(key))
        if found is None and not optional:
            raise ImportRefused(
                f"A row refers to {model._meta.verbose_name} {json.dumps(key)}, "
                "which the file does not contain."
            )
        return found

    def file_name(self, ref: Any) -> str:
        if ref is None:
            return ""
        if not isinstance(ref, dict):
            raise ImportRefused(f"A file reference is not an object: {ref!r}")
        return safe_path(ref.get("path"))

    def check_files(self, sections: list[Section]) -> None:
        """With a files folder: every referenced file is there with its SHA-256,
        checked before anything is written (storage has no rollback)."""
        if self.files_dir is None:
            return
        for section in sections:
            files = [
                f
                for f in exported_fields(section.model, section)
                if isinstance(f, models.FileField)
            ]
            for row in self.document.get(section.name, []):
                for f in files:
                    ref = row.get(f.name) if isinstance(row, dict) else None
                    if ref is None:
                        continue
                    source = self.files_dir / self.file_name(ref)
                    if not source.is_file():
                        raise ImportRefused(
                            f"{source} is missing from the files folder."
                        )
                    with source.open("rb") as handle:
                        if ref.get("sha256") and sha256_of(handle) != ref["sha256"]:
                            raise ImportRefused(f"{source} does not match its SHA-256.")

    def restore_file(self, f: models.FileField, ref: dict) -> None:
        name = safe_path(ref["path"])
        storage = f.storage
        if self.files_dir is not None and not storage.exists(name):
            with (self.files_dir / name).open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise ImportRefused(f"Storage renamed {name} to {saved}.")
        if not storage.exists(name):
            self.summary.missing_files.append(name)

    # --- rows --------------------------------------------------------------------
    def build(self, section: Section, row: dict) -> tuple[models.Model, list]:
        if not isinstance(row, dict):
            raise ImportRefused(f"A row of {section.name} is not an object.")
        model = section.model
        values: dict[str, Any] = {}
        files = []
        for f in exported_fields(model, section):
            if f.name not in row:
                continue  # absent: the field's default
            raw = row[f.name]
            if self.settings_only and f.name in section.reset_for_new_edition:
                continue
            if f.is_relation:
                if f.name in section.deferred:
                    continue
                optional = f.null or self.settings_only
                target = (
                    None
                    if raw is None
                    else self.resolve(f.related_model, raw, optional=optional)
                )
                values[f.attname] = target
            elif isinstance(f, models.FileField):
                values[f.attname] = self.file_name(raw)
                if raw is not None:
                    files.append((f, raw))
            else:
                try:
                    values[f.attname] = f.to_python(raw)
                except Exception as error:
                    raise ImportRefused(
                        f"{section.name}: {f.name} = {raw!r} is not valid ({error})."
                    ) from error
        if any(
            f.is_relation and f.related_model is Conference
            for f in model._meta.concrete_fields
        ):
            values["conference_id"] = self.conference.pk
        return model(**values), files

    def import_section(self, section: Section, lookups: dict) -> None:
        rows = [
            section.from_json(copy.deepcopy(row), lookups) if section.from_json else row
            for row in self.document.get(section.name, [])
        ]
        built = [self.build(section, row) for row in rows]
        objs = section.model._default_manager.bulk_create([obj for obj, _ in built])
        for (obj, files), row in zip(
            zip(objs, (b[1] for b in built), strict=True), rows, strict=True
        ):
            for f, ref in files:
                self.restore_file(f, ref)
            for name in section.deferred:
                if row.get(name) is not None:
                    self.deferred.append(
                        (
                            section.model,
                            obj.pk,
                            section.model._meta.get_field(name),
                            row[name],
                        )
                    )
            self.set_m2m(section, obj, row)
            if section.key is not None:
                parts = [row.get(name) for name in section.key]
                key = parts[0] if len(parts) == 1 else parts
                self.index.setdefault(section.model, {})[json.dumps(key)] = obj.pk
        self.summary.counts[section.name] = len(objs)

    def set_m2m(self, section: Section, obj: models.Model, row: dict) -> None:
        for m2m in section.model._meta.many_to_many:
            keys = row.get(m2m.name) or []
            pks = [
                self.resolve(m2m.related_model, k, optional=self.settings_only)
                for k in keys
            ]
            getattr(obj, m2m.name).set([pk for pk in pks if pk is not None])

    def import_users(self) -> None:
        people = self.document.get("users", [])
        for person in people:
            roles = set(person.get("roles", []))
            if self.settings_only and CHAIRS not in roles:
                continue  # reviewers are invited again below
            email = person["email"]
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User(**{name: person.get(name, "") for name in USER_FIELDS})
                user.is_active = person.get("is_active", True)
                if person.get("date_joined") and not self.settings_only:
                    user.date_joined = User._meta.get_field("date_joined").to_python(
                        person["date_joined"]
                    )
                user.set_unusable_password()  # passwords never leave: "Forgot password"
                user.save()
                if person.get("email_verified"):
                    EmailAddress.objects.create(
                        user=user, email=email, verified=True, primary=True
                    )
            for name in sorted(roles):
                if not self.settings_only or name == CHAIRS:
                    grant_group(user, name)  # a "role.granted" entry (settings-only)
            self.index[User][json.dumps(email)] = user.pk
        self.summary.counts["users"] = len(self.index[User])

    def invite_reviewers(self) -> None:
        chair = User.objects.filter(groups__name=CHAIRS).order_by("pk").first()
        for person in self.document.get("users", []):
            roles = set(person.get("roles", []))
            if REVIEWERS in roles and CHAIRS not in roles and chair is not None:
                invitation, is_new = invite_reviewer(
                    person["email"], name=person.get("name", ""), by=chair
                )
                if is_new:
                    self.summary.invited.append(invitation.email)

    def import_conference_row(self) -> None:
        row = self.document.get("conference") or {}
        for f in exported_fields(Conference, None):
            if f.name in row:
                try:
                    value = f.to_python(row[f.name])
                except Exception as error:
                    raise ImportRefused(
                        f"conference: {f.name} = {row[f.name]!r} is not valid "
                        f"({error})."
                    ) from error
                setattr(self.conference, f.attname, value)
        self.conference.save()

    def run(self) -> ImportSummary:
        self.check_document()
        self.check_deployment()
        sections = [s for s in SECTIONS if s.is_setting or not self.settings_only]
        self.check_files(sections)
        log_rows = [] if self.settings_only else self.document.get(AUDIT_LOG, [])
        try:
            log = audit_log.check_chain(log_rows)
        except audit_log.ChainBroken as error:
            raise ImportRefused(f"{error} Nothing was imported.") from error
        # A full import carries the old deployment's log over and writes none of
        # its own (exchange.audit_log); --settings-only is a chair's change here.
        quiet = audit.disabled() if not self.settings_only else nullcontext()
        with quiet, recorded_times([Conference, *(s.model for s in sections)]):
            # What a fresh deployment made by itself (a settings row, the default
            # review form) or last year's settings: replaced by the file's.
            for section in reversed(sections):
                section.model._default_manager.all().delete()
            if not self.settings_only:
                # The entries of those rows (no person's act: check_deployment),
                # so the file's chain starts the log at entry 1.
                AuditEntry.objects.all().delete()
            self.import_conference_row()
            self.import_users()
            lookups: dict[str, Any] = {"award_pks": {}, "nomination_keys": set()}
            for section in sections:
                if section.name == "reviews":
                    lookups = {
                        "award_pks": dict(
                            AwardCategory.objects.values_list("name", "pk")
                        ),
                        "nomination_keys": set(
                            ReviewQuestion.objects.filter(
                                kind=ReviewQuestion.Kind.NOMINATIONS
                            ).values_list("key", flat=True)
                        ),
                    }
                self.import_section(section, lookups)
            for model, pk, f, key in self.deferred:
                target = self.resolve(f.related_model, key, optional=False)
                model._default_manager.filter(pk=pk).update(**{f.attname: target})
            if not self.settings_only:
                self.summary.counts[AUDIT_LOG] = audit_log.import_entries(
                    log,
                    log_rows,
                    user_pks={json.loads(k): v for k, v in self.index[User].items()},
                    submission_pks={
                        json.loads(k): v
                        for k, v in self.index.get(Submission, {}).items()
                    },
                )
        if self.settings_only:
            self.invite_reviewers()
        return self.summary


@transaction.atomic
def import_conference(
    document: dict, *, settings_only: bool = False, files_dir: Path | None = None
) -> ImportSummary:
    """Import an export (see the module docstring). Side effects: every row; with
    `files_dir`, the files copied into storage; with `settings_only`, one
    invitation mail per reviewer (after commit)."""
    return Importer(document, settings_only=settings_only, files_dir=files_dir).run()

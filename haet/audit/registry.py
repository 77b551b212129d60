"""What is audited, registered by the app that owns each model, and the signal
receivers that write the entries: every save or delete of a registered model is
logged in the same transaction, with the before and after values of the changed
fields. A later app registers in its AppConfig.ready():

    register_audited(Review, name="review", fields=["score", "text"],
                     submission=lambda review: review.assignment.submission_id)

Bulk writes (`QuerySet.update`, `bulk_create`) send no signals: their services call
`record(...)` for what they changed.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from haet.audit.chain import append, plain
from haet.audit.context import is_enabled
from haet.audit.models import UNKNOWN_SUBMISSION

Resolver = Callable[[Any], int | None]
# (before, after) of an update -> what happened ("submitted"), or None: "updated".
Verb = Callable[[dict, dict], str | None]


@dataclass(frozen=True)
class Audited:
    model: type[models.Model]
    name: str  # "submission": actions read "submission.updated"
    # field name -> attribute read (a foreign key's id, not its object)
    attributes: dict[str, str]
    submission: Resolver | None = None
    # Fields whose values are never logged, beyond the secret-sounding names.
    redacted: frozenset[str] = field(default_factory=frozenset)
    verb: Verb | None = None


_REGISTRY: dict[type[models.Model], Audited] = {}
_BEFORE = "_audit_before"


def register_audited(
    model: type[models.Model],
    *,
    name: str,
    fields: Sequence[str],
    submission: Resolver | None = None,
    redacted: Iterable[str] = (),
    verb: Verb | None = None,
) -> Audited:
    """Audit every save and delete of `model` (idempotent: a second registration
    replaces the first). `submission(obj)` gives the submission id an entry is
    about, for its timeline and the conflict filter; `verb(before, after)` names
    an update after what it did ("submission.withdrawn" rather than "updated")."""
    attributes = {}
    for name_ in fields:
        model_field = model._meta.get_field(name_)
        attributes[name_] = getattr(model_field, "attname", name_)
    audited = Audited(model, name, attributes, submission, frozenset(redacted), verb)
    _REGISTRY[model] = audited
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-del")
    return audited


def audited_models() -> dict[type[models.Model], Audited]:
    return dict(_REGISTRY)


def object_type(model: type[models.Model]) -> str:
    return model._meta.label_lower


def user_fields() -> dict[str, frozenset[str]]:
    """{object type: its logged fields that hold a person's id}: the log pages show
    those people's names."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return {
        object_type(model): frozenset(
            name
            for name in audited.attributes
            if getattr(model._meta.get_field(name), "related_model", None) is user_model
        )
        for model, audited in _REGISTRY.items()
    }


def _values(audited: Audited, obj: models.Model, names: Iterable[str]) -> dict:
    values = {}
    for name in names:
        value = getattr(obj, audited.attributes[name])
        values[name] = "[redacted]" if name in audited.redacted else plain(value)
    return values


def _submission_of(audited: Audited, obj: models.Model) -> int | None:
    if audited.submission is None:
        return None
    try:
        return audited.submission(obj)
    except ObjectDoesNotExist:
        # A cascade removed the row the resolver reads through (rare: Django deletes
        # dependants first). Fail closed: the entry is withheld like a hidden one.
        return UNKNOWN_SUBMISSION


def _remember_before(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    audited = _REGISTRY.get(sender)
    if (
        audited is None
        or raw
        or instance._state.adding
        or instance.pk is None
        or not is_enabled()
    ):
        instance.__dict__.pop(_BEFORE, None)
        return
    names = list(audited.attributes)
    if update_fields is not None:
        given = set(update_fields)
        names = [n for n in names if {n, audited.attributes[n]} & given]
        if not names:  # only untracked fields change (a login's last_login)
            instance.__dict__[_BEFORE] = None
            return
    attributes = [audited.attributes[n] for n in names]
    row = sender._base_manager.filter(pk=instance.pk).values(*attributes).first()
    if row is None:
        instance.__dict__.pop(_BEFORE, None)
        return
    instance.__dict__[_BEFORE] = {
        n: "[redacted]" if n in audited.redacted else plain(row[audited.attributes[n]])
        for n in names
    }


def _saved(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    audited = _REGISTRY.get(sender)
    if audited is None or raw:
        return
    before = instance.__dict__.pop(_BEFORE, {})
    if before is None:
        return
    deferred = instance.get_deferred_fields()
    if created or not before:
        after = _values(audited, instance, audited.attributes)
        after = {k: v for k, v in after.items() if v not in (None, "", [], {})}
        verb, before = "created", {}
    else:
        names = [n for n in before if audited.attributes[n] not in deferred]
        now = _values(audited, instance, names)
        changed = [n for n in names if now[n] != before[n]]
        if not changed:
            return
        before = {n: before[n] for n in changed}
        after = {n: now[n] for n in changed}
        verb = (audited.verb and audited.verb(before, after)) or "updated"
    append(
        action=f"{audited.name}.{verb}",
        object_type=object_type(sender),
        object_id=instance.pk,
        submission_id=_submission_of(audited, instance),
        before=before,
        after=after,
    )


def record_created(obj: models.Model) -> None:
    """The entry a save would have written for a row `bulk_create` inserted."""
    _saved(type(obj), obj, created=True)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    audited = _REGISTRY.get(sender)
    if audited is None:
        return
    # A field deferred on the deleted object cannot be read any more: left out.
    deferred = instance.get_deferred_fields()
    names = [n for n, a in audited.attributes.items() if a not in deferred]
    before = _values(audited, instance, names)
    append(
        action=f"{audited.name}.deleted",
        object_type=object_type(sender),
        object_id=instance.pk,
        submission_id=_submission_of(audited, instance),
        before={k: v for k, v in before.items() if v not in (None, "", [], {})},
        after={},
    )


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    object_type_: str = "",
    object_id: int | None = None,
    submission_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """An entry for a write no signal sees (a bulk update or create)."""
    if obj is not None:
        audited = _REGISTRY.get(type(obj))
        object_type_ = object_type_ or object_type(type(obj))
        object_id = obj.pk if object_id is None else object_id
        if submission_id is None and audited is not None:
            submission_id = _submission_of(audited, obj)
    append(
        action=action,
        object_type=object_type_,
        object_id=object_id,
        submission_id=submission_id,
        before=before or {},
        after=after or {},
    )


# --- submission numbers -------------------------------------------------------------
# haet cannot import the submissions app; it fills this in its AppConfig.ready().


@dataclass
class SubmissionLookup:
    numbers: Callable[[set[int]], dict[int, int]] = lambda ids: {}
    id_of: Callable[[int], int | None] = lambda number: None


submission_lookup = SubmissionLookup()


def register_submission_lookup(
    *,
    numbers: Callable[[set[int]], dict[int, int]],
    id_of: Callable[[int], int | None],
) -> None:
    """`numbers(ids)` → {id: number} in one query; `id_of(number)` → id or None."""
    submission_lookup.numbers = numbers
    submission_lookup.id_of = id_of

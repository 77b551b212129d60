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
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from haet.audit.chain import append, batched, plain
from haet.audit.context import is_enabled
from haet.audit.models import NOBODY, UNKNOWN_SUBMISSION

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
    # `private_to(obj)`: the id of the one user who may read the object's entries (a
    # chair's private tag or saved search), or None when every chair may.
    private_to: Resolver | None = None
    # Fields whose value places the object among others (a juror's rank of a
    # paper): an entry holding one is kept from a reader conflicted with any
    # submission, whose paper's place it could tell (AuditEntry.without_submissions).
    relative: frozenset[str] = field(default_factory=frozenset)


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
    private_to: Resolver | None = None,
    relative: Iterable[str] = (),
) -> Audited:
    """Audit every save and delete of `model` (idempotent: a second registration
    replaces the first). `submission(obj)` gives the submission id an entry is
    about, for its timeline and the conflict filter; `verb(before, after)` names
    an update after what it did ("submission.withdrawn" rather than "updated");
    `private_to(obj)` the one user who may read an entry about a private object;
    `relative` the fields whose values rank the object among others."""
    attributes = {}
    for name_ in fields:
        model_field = model._meta.get_field(name_)
        attributes[name_] = getattr(model_field, "attname", name_)
    audited = Audited(
        model,
        name,
        attributes,
        submission,
        frozenset(redacted),
        verb,
        private_to,
        frozenset(relative),
    )
    _REGISTRY[model] = audited
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-del")
    return audited


# Never worth an entry of their own: the key, the conference (one per deployment) and
# the timestamps every save moves.
BOOKKEEPING = frozenset({"id", "conference", "created_at", "updated_at"})


def fields_of(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """Every concrete field of `model` worth logging, less `exclude`."""
    left_out = BOOKKEEPING | set(exclude)
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in left_out
    ]


# through model -> (the audited model that holds the field, the field's name)
_M2M: dict[type[models.Model], tuple[type[models.Model], str]] = {}


def register_audited_m2m(model: type[models.Model], field_name: str) -> None:
    """Audit what is added to and removed from `model.<field_name>`, a many-to-many
    field no save signal sees: "submission.topics_added" with the ids. `model` is
    registered first; its entries' name and submission are used."""
    through = model._meta.get_field(field_name).remote_field.through  # type: ignore[union-attr]
    _M2M[through] = (model, field_name)
    uid = f"audit-m2m-{through._meta.label_lower}"
    m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=uid)


def relative_fields() -> dict[str, frozenset[str]]:
    """object_type -> its fields whose values rank it among others."""
    return {
        object_type(model): audited.relative
        for model, audited in _REGISTRY.items()
        if audited.relative
    }


def audited_m2m_fields() -> set[tuple[type[models.Model], str]]:
    return set(_M2M.values())


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    owner_model, field_name = _M2M[sender]
    audited = _REGISTRY.get(owner_model)
    if audited is None or not is_enabled():
        return
    if action == "pre_clear":  # the ids are gone by post_clear
        if reverse:
            return  # cleared from the other side: rare, left to its service
        related = getattr(instance, field_name)
        pk_set, action = set(related.values_list("pk", flat=True)), "post_remove"
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    # From the other side (topic.submissions.add(s)) the owners are in pk_set.
    pairs = (
        [
            (owner, [instance.pk])
            for owner in owner_model._base_manager.filter(pk__in=pk_set)
        ]
        if reverse
        else [(instance, sorted(pk_set))]
    )
    added = action == "post_add"
    for owner, ids in pairs:
        append(
            action=f"{audited.name}.{field_name}_{'added' if added else 'removed'}",
            object_type=object_type(owner_model),
            object_id=owner.pk,
            submission_id=_submission_of(audited, owner),
            before={} if added else {field_name: ids},
            after={field_name: ids} if added else {},
        )


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


def _private_to(audited: Audited, obj: models.Model) -> int | None:
    if audited.private_to is None:
        return None
    try:
        return audited.private_to(obj)
    except ObjectDoesNotExist:
        return NOBODY  # fail closed, as _submission_of does


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
        private_to=_private_to(audited, instance),
    )


def record_created(objs: Iterable[models.Model]) -> None:
    """The entries saves would have written for rows `bulk_create` inserted (it
    sends no post_save), inserted together."""
    with batched():
        for obj in objs:
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
        private_to=_private_to(audited, instance),
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
    audited = None
    if obj is not None:
        model = obj._meta.model  # not type(obj): request.user is a lazy proxy
        audited = _REGISTRY.get(model)
        object_type_ = object_type_ or object_type(model)
        object_id = obj.pk if object_id is None else object_id
        if submission_id is None and audited is not None:
            submission_id = _submission_of(audited, obj)
    private_to = None
    if obj is not None and audited is not None:
        private_to = _private_to(audited, obj)
    append(
        action=action,
        object_type=object_type_,
        object_id=object_id,
        submission_id=submission_id,
        before=before or {},
        after=after or {},
        private_to=private_to,
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

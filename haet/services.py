"""Writes to the conference: dates with their history, roles, award categories."""

from datetime import datetime, tzinfo
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.db.models.deletion import Collector

from haet import audit, clock
from haet.models import AwardCategory, Conference, DateChange, ImportantDate, User
from haet.rules import AREA_CHAIRS, CHAIRS, REVIEWERS, is_chair

ROLE_GROUPS = {"chair": CHAIRS, "reviewer": REVIEWERS, "area_chair": AREA_CHAIRS}


@transaction.atomic
def change_date(
    date: ImportantDate, *, at: datetime, by: User | None = None, **fields: Any
) -> ImportantDate:
    """Move a date (e.g. extend a deadline), keeping the old instant in its history.

    Side effects: a DateChange row when the instant moves; the public page then
    strikes the old date through.
    """
    date = ImportantDate.objects.select_for_update().get(pk=date.pk)
    old_at = date.at
    for name, value in fields.items():
        setattr(date, name, value)
    date.at = at
    date.full_clean()
    date.save()
    if old_at != at:
        DateChange.objects.create(
            date=date, old_at=old_at, new_at=at, changed_by=by, changed_at=clock.now()
        )
    return date


def _same_wall_clock(at: datetime, old: tzinfo, new: tzinfo) -> datetime:
    local = at.astimezone(old)
    return datetime.combine(local.date(), local.time(), tzinfo=new)


@transaction.atomic
def keep_days_in_new_zone(conference: Conference, old: tzinfo) -> list[ImportantDate]:
    """After the conference's zone changed from ``old``: every whole-day date
    (the workshop, the notification) keeps its day and clock time in the new
    zone, its history too (13 June stays 13 June; without this, UTC-11 to
    UTC+13 made it 14 June). Deadlines keep their instant: authors may have
    seen them. Returns the deadlines, for the chair to be told how they read."""
    new = conference.tzinfo
    for date in conference.dates.filter(has_time=False).prefetch_related("changes"):
        date.at = _same_wall_clock(date.at, old, new)
        date.save(update_fields=["at", "updated_at"])
        for change in date.changes.all():
            change.old_at = _same_wall_clock(change.old_at, old, new)
            change.new_at = _same_wall_clock(change.new_at, old, new)
            change.save(update_fields=["old_at", "new_at"])
    return list(conference.dates.filter(has_time=True))


def set_role(user: User, role: str, *, granted: bool) -> None:
    """Give or take a role ("chair", "reviewer" or "area_chair")."""
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    if user.groups.filter(pk=group.pk).exists() == granted:
        return  # nothing changes, nothing to log
    if granted:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    # A group membership is an m2m row no save signal sees: logged here.
    audit.record(
        "role.granted" if granted else "role.revoked",
        user,
        before={"role": None if granted else role},
        after={"role": role if granted else None},
    )


def cascade_losses(obj: Model) -> list[str]:
    """What deleting `obj` also deletes, as phrases ("3 award entries"), for the
    confirmation a chair reads first. Django's own deletion collector counts
    them, so haet needs not know the later apps' models that hang on `obj`."""
    collector = Collector(using="default")
    collector.collect([obj])
    losses = []
    for model, objs in collector.data.items():
        if model is not type(obj) and objs:
            meta = model._meta
            noun = meta.verbose_name if len(objs) == 1 else meta.verbose_name_plural
            losses.append(f"{len(objs)} {noun}")
    return losses


def delete_award_category(award: AwardCategory, *, by: User) -> str:
    """Remove an award from the call (chairs only; the awards app's editor changes
    its fields). Returns its name. Side effects: what hangs on the category goes
    with it (database cascade), as on the former chairs' formset."""
    if not is_chair(by):
        raise PermissionDenied
    name = award.name
    award.delete()
    return name

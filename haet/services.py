"""Writes to the conference: dates with their history, roles."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from haet import clock
from haet.models import DateChange, ImportantDate, User
from haet.rules import CHAIRS, REVIEWERS

ROLE_GROUPS = {"chair": CHAIRS, "reviewer": REVIEWERS}


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


def set_role(user: User, role: str, *, granted: bool) -> None:
    """Give or take a role ("chair" or "reviewer")."""
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    if granted:
        user.groups.add(group)
    else:
        user.groups.remove(group)

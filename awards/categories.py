"""Award categories and their juries (the chairs' writes)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from awards.models import AwardSettings
from haet.models import AwardCategory, Conference, User
from haet.outbox.services import queue_mail
from haet.rules import is_chair

CATEGORY_FIELDS = ("name", "description", "sponsor", "amount", "details", "order")
SETTINGS_FIELDS = (
    "kind",
    "eligibility",
    "rules",
    "metric",
    "judging",
    "entry_deadline",
    "entry_field",
    "entry_choice",
)


def require_chair(user: User) -> None:
    if not is_chair(user):
        raise PermissionDenied("Only chairs manage awards.")


# --- categories and juries ---------------------------------------------------------
@transaction.atomic
def save_award(
    award: AwardCategory | None,
    *,
    conference: Conference,
    category: dict[str, Any],
    award_settings: dict[str, Any],
    by: User,
) -> AwardSettings:
    """Create or change a category (what the call shows) and its settings.
    Side effects: none beyond the two rows."""
    require_chair(by)
    if award is None:
        award = AwardCategory(conference=conference)
    for name in CATEGORY_FIELDS:
        if name in category:
            setattr(award, name, category[name])
    award.full_clean()
    award.save()
    found = AwardSettings.objects.for_award(award)
    for name in SETTINGS_FIELDS:
        if name in award_settings:
            setattr(found, name, award_settings[name])
    found.full_clean()
    found.save()
    return found


@transaction.atomic
def appoint_jury(award: AwardCategory, jurors: Iterable, *, by: User) -> AwardSettings:
    """The award's jury becomes exactly `jurors` (any accounts). Judgements of
    jurors who leave stay stored but no longer count.
    Side effects: one mail to each juror the first time they join this jury
    (key `jury:<award pk>:<user pk>`)."""
    require_chair(by)
    found = AwardSettings.objects.for_award(award)
    jurors = list(jurors)
    before = set(found.jury.values_list("pk", flat=True))
    found.jury.set(jurors)
    jury_path = reverse("awards:jury")
    for juror in jurors:
        if juror.pk in before:
            continue
        queue_mail(
            to=juror,
            template="award_jury",
            context={
                "award": award,
                "juror_name": juror.display_name,
                "jury_path": jury_path,
            },
            dedupe_key=f"jury:{award.pk}:{juror.pk}",
        )
    return found

"""Awards: judging and prize entries on top of `haet.AwardCategory`.

`haet.AwardCategory` is what the call for papers announces (name, sponsor, amount,
details). This app adds, one-to-one, `AwardSettings` (kind, eligibility, rules,
metric, entry deadline, jury, publication), the authors' structured `Entry` for a
prize, the chairs' `ShortlistChange`s (added or removed by hand), the jurors'
`Judgement`s and the confirmed `AwardResult`s. Writes go through the service
modules (`awards.entering`, `awards.judging`, ...).

One module per concept; every name is importable from `awards.models`.
"""

from awards.models.award_settings import (
    PRIZE_KINDS,
    RESERVED_SLUGS,
    AwardSettings,
    AwardSettingsQuerySet,
    Kind,
    guess_kind,
    unique_slug,
)
from awards.models.entries import Entry, EntryQuerySet
from awards.models.judging import (
    AwardResult,
    AwardResultQuerySet,
    Judgement,
    ShortlistChange,
)

__all__ = [
    "PRIZE_KINDS",
    "RESERVED_SLUGS",
    "AwardResult",
    "AwardResultQuerySet",
    "AwardSettings",
    "AwardSettingsQuerySet",
    "Entry",
    "EntryQuerySet",
    "Judgement",
    "Kind",
    "ShortlistChange",
    "guess_kind",
    "unique_slug",
]

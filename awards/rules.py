"""Who may do what with awards. The object is a `haet.AwardCategory` (an "award")
unless said otherwise; predicates read `award.award_settings.jury` (prefetch it).

- awards.manage (no object): chairs edit categories, juries, shortlists, results.
- awards.judge: a juror of the award. Which shortlisted papers a juror sees is the
  conflict answer of reviewing (`reviews.conflicts`): conflicted papers are absent.
- awards.view_leaderboard: everyone once published; chairs and jurors before.
- awards.enter (object: a Submission): its authors; deadlines and eligibility are
  the services' to explain.
"""

from typing import TYPE_CHECKING

import rules

from haet.rules import is_chair
from submissions.rules import is_submission_author

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from awards.models import AwardSettings
    from haet.models import AwardCategory, User


def _settings(award: "AwardCategory | None") -> "AwardSettings | None":
    return getattr(award, "award_settings", None) if award is not None else None


@rules.predicate
def is_juror(user: "User | AnonymousUser", award: "AwardCategory | None") -> bool:
    found = _settings(award)
    if found is None or not user.is_authenticated:
        return False
    return any(juror.pk == user.pk for juror in found.jury.all())


@rules.predicate
def is_leaderboard_published(
    user: "User | AnonymousUser", award: "AwardCategory | None"
) -> bool:
    found = _settings(award)
    return found is not None and found.leaderboard_published


rules.add_perm("awards.manage", is_chair)
rules.add_perm("awards.judge", is_juror)
rules.add_perm(
    "awards.view_leaderboard", is_leaderboard_published | is_chair | is_juror
)
rules.add_perm("awards.enter", is_submission_author)

"""Who may see and edit the schedule (object: a Schedule).

- schedule.edit (no object): chairs build the day. The editor never names a
  submission the chair is conflicted with (schedule.queries hides it).
- schedule.view: everyone once published; chairs before, as a preview.
"""

from typing import TYPE_CHECKING

import rules

from haet.rules import is_chair

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from haet.models import User
    from schedule.models import Schedule


@rules.predicate
def is_published(user: "User | AnonymousUser", schedule: "Schedule | None") -> bool:
    return schedule is not None and schedule.published_at is not None


rules.add_perm("schedule.edit", is_chair)
rules.add_perm("schedule.view", is_published | is_chair)

"""Who may see and edit the schedule (object: a Schedule).

- schedule.edit (no object): chairs build the day. The editor never names a
  submission the chair is conflicted with (schedule.queries hides it).
- schedule.view: everyone once published; chairs before, as a preview.
"""

import rules

from haet.rules import is_chair


@rules.predicate
def is_published(user, schedule) -> bool:
    return schedule is not None and schedule.published_at is not None


rules.add_perm("schedule.edit", is_chair)
rules.add_perm("schedule.view", is_published | is_chair)

"""Roles as django-rules predicates. A person may hold several roles.

- chair: member of the "chairs" group (configures, assigns, decides);
- reviewer: member of the "reviewers" group (joined by accepting an invitation);
- area chair: member of the "area_chairs" group (invited, or appointed by chairs;
  oversees the submissions assigned to them, see reviews.area_chairs);
- author: anyone signed in (authorship is per submission, see submissions.rules).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rules
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from haet.models import User

CHAIRS = "chairs"
REVIEWERS = "reviewers"
AREA_CHAIRS = "area_chairs"

is_chair = rules.is_group_member(CHAIRS)
is_reviewer = rules.is_group_member(REVIEWERS)
is_area_chair = rules.is_group_member(AREA_CHAIRS)
is_signed_in = rules.is_authenticated

rules.add_perm("haet.manage_conference", is_chair)
rules.add_perm("haet.review", is_reviewer)


# --- conflicts of interest -----------------------------------------------------------
# The reviews app owns the conflict rules (declared, domain, authorship, co-authorship).
# Apps below it (haet, submissions) must still hide a submission from a conflicted
# chair, so settings.HAET_CONFLICT_RULES names the function and `load_conflict_rules`
# (HaetConfig.ready(), after every app's models are loaded) imports it: a project
# without it stops at start-up instead of answering "no conflict".
_conflict_ids: Callable[[Any], set[int]] | None = None


def load_conflict_rules() -> None:
    """Resolve settings.HAET_CONFLICT_RULES, `(user) -> set of submission ids`.
    Raises ImproperlyConfigured when it is unset or cannot be imported."""
    global _conflict_ids
    path = getattr(settings, "HAET_CONFLICT_RULES", "")
    if not path:
        raise ImproperlyConfigured(
            "HAET_CONFLICT_RULES is not set: without the conflict rules nobody can "
            "be told they have no conflict."
        )
    try:
        _conflict_ids = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"HAET_CONFLICT_RULES = {path!r} cannot be imported: {error}"
        ) from error


def conflicted_submission_ids(user: "User | AnonymousUser | None") -> set[int]:
    """Ids of every submission the user is conflicted with (cached per user by the
    rules' owner)."""
    if user is None or not user.is_authenticated:
        return set()
    if _conflict_ids is None:
        # Fail closed even if start-up was bypassed.
        raise ImproperlyConfigured("No conflict rules loaded (HAET_CONFLICT_RULES).")
    return _conflict_ids(user)


@rules.predicate
def is_conflicted(user: "User | AnonymousUser | None", submission: object) -> bool:
    """THE conflict predicate, for reviewers and chairs alike."""
    if submission is None:
        return False
    return getattr(submission, "pk", submission) in conflicted_submission_ids(user)


is_unconflicted_chair = is_chair & ~is_conflicted

"""Roles as django-rules predicates. A person may hold several roles.

- chair: member of the "chairs" group (configures, assigns, decides);
- reviewer: member of the "reviewers" group (joined by accepting an invitation);
- author: anyone signed in (authorship is per submission, see submissions.rules).
"""

import rules
from django.core.exceptions import ImproperlyConfigured

CHAIRS = "chairs"
REVIEWERS = "reviewers"

is_chair = rules.is_group_member(CHAIRS)
is_reviewer = rules.is_group_member(REVIEWERS)
is_signed_in = rules.is_authenticated

rules.add_perm("haet.manage_conference", is_chair)
rules.add_perm("haet.review", is_reviewer)


# --- conflicts of interest -----------------------------------------------------------
# The reviews app owns the conflict rules (declared, domain, authorship, co-authorship)
# and registers them here when it loads, so apps below it (submissions) can hide a
# submission from a conflicted chair without importing reviews.
_conflict_ids = None


def register_conflicts(conflicted_submission_ids) -> None:
    """`conflicted_submission_ids(user) -> set[int]`, cached per user by its owner."""
    global _conflict_ids
    _conflict_ids = conflicted_submission_ids


def conflicted_submission_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    if _conflict_ids is None:
        # Fail closed: without the conflict rules nobody can be told "no conflict".
        raise ImproperlyConfigured(
            "No conflict rules registered: is the reviews app installed?"
        )
    return _conflict_ids(user)


@rules.predicate
def is_conflicted(user, submission) -> bool:
    if submission is None:
        return False
    return getattr(submission, "pk", submission) in conflicted_submission_ids(user)


is_unconflicted_chair = is_chair & ~is_conflicted

"""Who may see and change decisions and camera-ready versions (object: a Submission).

A conflicted chair sees nothing of a submission: not its decision, not its
camera-ready. Predicates read `submission.decision` / `submission.authors`, which
views select or prefetch.

- decisions.manage (no object): chairs use the dashboard, release, exports.
- decisions.decide: a chair not conflicted with the submission.
- decisions.view_outcome: its authors (the decision itself only once released)
  and non-conflicted chairs.
- decisions.edit_camera_ready: its authors once an acceptance is released, and
  non-conflicted chairs of an accepted submission.
"""

from typing import TYPE_CHECKING

import rules

from haet.rules import is_chair, is_unconflicted_chair
from submissions.rules import is_submission_author

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from decisions.models import Decision
    from haet.models import User
    from submissions.models import Submission


def decision_of(submission: "Submission | None") -> "Decision | None":
    """The submission's Decision or None, without raising."""
    if submission is None:
        return None
    try:
        return submission.decision
    except Exception:  # RelatedObjectDoesNotExist
        return None


@rules.predicate
def is_released(user: "User | AnonymousUser", submission: "Submission | None") -> bool:
    decision = decision_of(submission)
    return decision is not None and decision.released_at is not None


@rules.predicate
def is_accepted(user: "User | AnonymousUser", submission: "Submission") -> bool:
    decision = decision_of(submission)
    return (
        decision is not None
        and decision.is_accepted
        and submission.state != "withdrawn"
    )


rules.add_perm("decisions.manage", is_chair)
rules.add_perm("decisions.decide", is_unconflicted_chair)
rules.add_perm("decisions.view_outcome", is_submission_author | is_unconflicted_chair)
rules.add_perm(
    "decisions.read_outcome",
    (is_submission_author & is_released) | is_unconflicted_chair,
)
rules.add_perm(
    "decisions.edit_camera_ready",
    is_accepted & ((is_submission_author & is_released) | is_unconflicted_chair),
)

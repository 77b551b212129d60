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

import rules

from haet.rules import is_chair
from reviews.rules import is_conflicted
from submissions.rules import is_submission_author


def decision_of(submission):
    """The submission's Decision or None, without raising."""
    if submission is None:
        return None
    try:
        return submission.decision
    except Exception:  # RelatedObjectDoesNotExist
        return None


@rules.predicate
def is_released(user, submission) -> bool:
    decision = decision_of(submission)
    return decision is not None and decision.released_at is not None


@rules.predicate
def is_accepted(user, submission) -> bool:
    decision = decision_of(submission)
    return (
        decision is not None
        and decision.is_accepted
        and submission.state != "withdrawn"
    )


is_deciding_chair = is_chair & ~is_conflicted

rules.add_perm("decisions.manage", is_chair)
rules.add_perm("decisions.decide", is_deciding_chair)
rules.add_perm("decisions.view_outcome", is_submission_author | is_deciding_chair)
rules.add_perm(
    "decisions.read_outcome", (is_submission_author & is_released) | is_deciding_chair
)
rules.add_perm(
    "decisions.edit_camera_ready",
    is_accepted & ((is_submission_author & is_released) | is_deciding_chair),
)

"""What the awards app may show the public, and when (issue 12, finding 8).

A leaderboard or an announcement names papers (title, code and logs links whose
addresses often carry the authors' account names; on /awards/ the authors
themselves). Before a paper's decision is released that would break the
double-blind review of a paper still under review, and tell the world an
acceptance its authors have not heard of. So:

- a leaderboard only ever lists accepted papers whose decision is released,
  whatever the award's eligibility and whoever looks (chairs and jurors judge from
  the shortlist, not from the leaderboard): before the release it lists nothing;
- a leaderboard cannot be published before the decisions are released;
- results are announced, and shown on /awards/, only for papers whose decision
  is released (a prize open to every submitted paper may go to a rejected one once
  its authors were told).

The decisions app's answer (`Decision.released_at`) is the only source.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from decisions.models import Decision
from haet.models import Conference
from submissions.models import Submission


def released_accepted_submissions(
    conference: Conference | int,
) -> QuerySet[Submission]:
    """Accepted, not withdrawn papers whose decision the authors were told: the
    only papers a leaderboard may show."""
    decided = Decision.objects.accepted().released().values("submission")
    return Submission.objects.filter(
        conference=conference, pk__in=decided, state=Submission.State.SUBMITTED
    )


def released_submission_ids(submission_ids: Iterable[int]) -> set[int]:
    """Those of `submission_ids` whose decision (any outcome) is released."""
    return set(
        Decision.objects.released()
        .filter(submission_id__in=submission_ids)
        .values_list("submission_id", flat=True)
    )


def decisions_released(conference: Conference | int) -> bool:
    """Have the acceptances gone out? (Released desk rejections alone do not count:
    the other papers are still under review.)"""
    return released_accepted_submissions(conference).exists()


NOT_RELEASED = (
    "Decisions are not released yet: the leaderboard can be published once they "
    "are. Until then it would show papers that are still under review."
)
RESULTS_NOT_RELEASED = (
    "Results can be announced once the decisions of their papers are released: "
    "announcing now would name papers that are still under review."
)


def publish_refusal(conference: Conference | int) -> str:
    """Why a leaderboard cannot be published now ("" when it can)."""
    return "" if decisions_released(conference) else NOT_RELEASED

"""Reads across apps: review statistics on submission QuerySets (one query), and
the one visibility rule every chair read passes through."""

from django.db.models import Avg, Count, Max, Min, Q, QuerySet, StdDev

from reviews.conflicts import conflicted_submission_ids
from reviews.models import Review
from submissions.models import Submission

SUBMITTED = Q(assignments__review__state=Review.State.SUBMITTED)


def with_review_stats(submissions: QuerySet) -> QuerySet:
    """Annotate `assignment_count`, `review_count` (submitted), `mean_score`,
    `min_score`, `max_score`, `score_spread` (std dev), `mean_confidence`."""
    return submissions.annotate(
        assignment_count=Count("assignments", distinct=True),
        review_count=Count("assignments__review", filter=SUBMITTED, distinct=True),
        mean_score=Avg("assignments__review__score", filter=SUBMITTED),
        min_score=Min("assignments__review__score", filter=SUBMITTED),
        max_score=Max("assignments__review__score", filter=SUBMITTED),
        score_spread=StdDev("assignments__review__score", filter=SUBMITTED),
        mean_confidence=Avg("assignments__review__confidence", filter=SUBMITTED),
    )


# --- what a chair may see ----------------------------------------------------------
def visible_to(queryset: QuerySet, user) -> QuerySet:
    """`queryset` without the rows about a submission `user` is conflicted with
    (`conflicted_submission_ids`, cached per request).

    THE filter for chair reads: lists, counts, loads, histograms and exports are
    computed over what it returns, so an aggregate never counts a hidden
    submission. Submissions are filtered on their own id, any other model
    (Assignment, Bid, AffinityScore, ConflictLog...) on its `submission` key.
    """
    hidden = conflicted_submission_ids(user)
    if not hidden:
        return queryset
    field = "pk" if queryset.model is Submission else "submission_id"
    return queryset.exclude(**{f"{field}__in": hidden})


def visible_assignment_filter(user) -> Q | None:
    """For `Count("assignments", filter=...)`: the assignments of submissions
    `user` may see (None, no filter, when they see everything)."""
    hidden = conflicted_submission_ids(user)
    if not hidden:
        return None
    return ~Q(assignments__submission_id__in=hidden)

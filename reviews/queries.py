"""Reads across apps: review statistics on submission QuerySets (one query)."""

from django.db.models import Avg, Count, Max, Min, Q, QuerySet, StdDev

from reviews.models import Review

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

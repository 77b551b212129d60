"""The search terms about reviews (chairs only): reviews:<3, score:>1.5,
spread:>=2, confidence:<=2. Each compares one statistic of a submission's
submitted reviews: the count, the mean score, the highest minus the lowest score,
the mean confidence. The statistic is an annotation on the reviews grouped by
submission, and the term keeps the submissions whose group passes: one hash
aggregate over the reviews, not a subquery per submission. A submission without
reviews has 0 reviews and no score, spread or confidence (so `score:` never finds
it and `NOT score:` always does). Registered by `ReviewsConfig.ready()`."""

import operator
import re
from collections.abc import Callable
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q

from reviews.models import Review
from submissions.search import register_term
from submissions.search.parser import Term
from submissions.search.registry import Context

COMPARISON = re.compile(r"^(<=|>=|!=|<|>|=)?\s*(-?\d+(?:\.\d+)?)$")
LOOKUPS = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "=": "exact", "": "exact"}
HOLDS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "": operator.eq,
    "!=": operator.ne,
}


def statistic(name: str) -> tuple[Any, Q]:
    """The aggregate, and which submitted reviews it reads."""
    scored = Q(score__isnull=False)
    return {
        "reviews": (Count("pk"), Q()),
        "score": (Avg("score"), scored),
        "spread": (Max("score") - Min("score"), scored),
        "confidence": (Avg("confidence"), Q(confidence__isnull=False)),
    }[name]


def submissions_where(name: str, condition: Q) -> Q:
    aggregate, reads = statistic(name)
    groups = (
        Review.objects.filter(reads, state=Review.State.SUBMITTED)
        .order_by()
        .values("assignment__submission")
        .annotate(value=aggregate)
        .filter(condition)
        .values("assignment__submission")
    )
    return Q(pk__in=groups)


def comparing(name: str, *, integer: bool) -> Callable[[Term, Context], Q]:
    def handle(term: Term, context: Context) -> Q:
        match = COMPARISON.match(term.value.strip())
        if not match or (integer and "." in match.group(2)):
            kind = "a whole number" if integer else "a number"
            raise term.error(
                f"“{term.key}:” compares with {kind}: {term.key}:<3, "
                f"{term.key}:>=2, {term.key}:1.",
                at_value=True,
            )
        op, number = match.group(1) or "", float(match.group(2))
        if op == "!=":
            holds, fails = ~Q(value=number), Q(value=number)
        else:
            holds = Q(**{f"value__{LOOKUPS[op]}": number})
            fails = ~holds
        if name == "reviews" and HOLDS[op](0, number):
            # Submissions without reviews pass too: keep all but those that fail.
            return ~submissions_where(name, fails)
        return submissions_where(name, holds)

    return handle


def register() -> None:
    register_term(
        "reviews",
        comparing("reviews", integer=True),
        chairs_only=True,
        help="reviews:<3 — submitted reviews",
    )
    register_term(
        "score",
        comparing("score", integer=False),
        chairs_only=True,
        help="score:>1.5 — mean overall score",
    )
    register_term(
        "spread",
        comparing("spread", integer=False),
        chairs_only=True,
        help="spread:>=2 — highest minus lowest score",
    )
    register_term(
        "confidence",
        comparing("confidence", integer=False),
        chairs_only=True,
        help="confidence:<=2 — mean confidence",
    )

"""The search language on a list of submissions (haet.listing.Listing calls it),
and what the page shows around it: the error, tag chips, saved searches and bulk
tagging. Every part costs a fixed number of queries."""

from typing import Any

from django.db.models import QuerySet

from submissions.models import SavedSearch, Submission
from submissions.search import SearchResult, search_submissions
from submissions.search.registry import registered_terms
from submissions.search.shown_tags import tags_by_submission, visible_tags


class SearchBox:
    """`blind`: reviewer rules (reviewer-visible tags, no author fields)."""

    def __init__(self, user: Any, *, blind: bool = False) -> None:
        self.user = user
        self.blind = blind
        self.result: SearchResult | None = None

    def __call__(self, queryset: QuerySet, q: str) -> QuerySet:
        self.result = search_submissions(queryset, q, user=self.user, blind=self.blind)
        return self.result.queryset

    def attach_tags(self, submissions: list[Submission], tags: list) -> None:
        """`submission.shown_tags`: the tags this user may see on it."""
        found = tags_by_submission(
            [s.pk for s in submissions], user=self.user, blind=self.blind, tags=tags
        )
        for submission in submissions:
            submission.shown_tags = found.get(submission.pk, [])  # type: ignore[attr-defined]

    def context(self, submissions: list[Submission]) -> dict[str, Any]:
        tags = visible_tags(self.user, blind=self.blind)
        self.attach_tags(submissions, tags)
        terms = [t for t in registered_terms() if not (self.blind and t.chairs_only)]
        context: dict[str, Any] = {"search": self.result, "search_terms": terms}
        if not self.blind:
            context["saved_searches"] = list(SavedSearch.objects.visible_to(self.user))
            # Automatic tags follow their search: not put on by hand.
            context["bulk_tags"] = [t for t in tags if not hasattr(t, "saved_search")]
        return context

"""Plain free-text search over rows about submissions (assignments, camera-ready
progress: lists of pairs or rows built in Python, where submissions.search's language
does not apply): every word matches the number (`12`,
`#12`) or the title, and for chairs also an author's name. One function, so a
richer query language can take its place without touching the pages."""

from collections.abc import Iterable

from django.db.models import Q

from haet.listing import search_terms
from submissions.models import Author


def submission_match(q: str, *, path: str = "", authors: bool = False) -> Q:
    """The condition for `q` on submissions reached through `path` (e.g.
    "submission__"). `authors` only for people who may see the author list."""
    condition = Q()
    for term in search_terms(q):
        matches = Q(**{f"{path}title__icontains": term})
        digits = term.removeprefix("#")
        if digits.isdecimal() and len(digits) < 10:
            matches |= Q(**{f"{path}number": int(digits)})
        if authors:
            named = Author.objects.filter(name__icontains=term).values("submission")
            matches |= Q(**{f"{path}pk__in": named})
        condition &= matches
    return condition


def matches_submission(
    q: str, *, number: int, title: str, author_names: Iterable[str] = ()
) -> bool:
    """The same test for rows a page built in Python (pass `author_names` only to
    people who may see them)."""
    words = [f"#{number}", title, *author_names]
    haystack = " ".join(words).casefold()
    for term in search_terms(q):
        digits = term.removeprefix("#")
        if digits.isdecimal():
            if int(digits) != number and digits not in haystack:
                return False
        elif term.casefold() not in haystack:
            return False
    return True

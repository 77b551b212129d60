"""From the parsed tree to a filtered queryset: `search_submissions`."""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Q, QuerySet

from haet.rules import is_chair
from submissions.search.parser import And, Node, Not, SearchError, Term, parse
from submissions.search.registry import Context, handler_for, is_registered


@dataclass(frozen=True)
class SearchResult:
    """The matching submissions, or none and the `error` that says why."""

    queryset: QuerySet
    error: SearchError | None
    query: str = ""

    @property
    def error_before(self) -> str:
        return self.query[: self.error.position] if self.error else ""

    @property
    def error_at(self) -> str:
        if not self.error:
            return ""
        return self.query[self.error.position : self.error.position + self.error.length]

    @property
    def error_after(self) -> str:
        if not self.error:
            return ""
        return self.query[self.error.position + self.error.length :]


def compile_node(node: Node, context: Context) -> Q:
    if isinstance(node, Term):
        if node.key not in ("", "#") and not node.value.strip():
            if not is_registered(node.key):
                node = Term("", node.raw, node.start, node.start, node.end)
            else:
                raise node.error(f"“{node.key}:” needs a value after the colon.")
        return handler_for(node, context).handle(node, context)
    if isinstance(node, Not):
        return ~compile_node(node.child, context)
    children = [compile_node(child, context) for child in node.children]
    return reduce(and_ if isinstance(node, And) else or_, children)


def compile_query(text: str, context: Context) -> Q:
    """The `Q` of `text`; raises SearchError. Annotations land in `context`."""
    node = parse(text)
    if node is None:
        return Q()
    return compile_node(node, context)


def search_submissions(
    queryset: QuerySet, text: str, *, user: Any, blind: bool | None = None
) -> SearchResult:
    """`queryset` (what the user may see, already) narrowed by the query `text`.

    `blind` (default: anyone but a chair) searches as a reviewer: free text skips
    the author fields, and author:, affiliation: and the chairs' terms answer
    "not available". A bad query gives no submissions and an `error` with the
    position of the problem; it never raises."""
    text = text or ""
    context = Context(user=user, blind=not is_chair(user) if blind is None else blind)
    try:
        q = compile_query(text, context)
    except SearchError as error:
        return SearchResult(queryset.none(), error, text)
    except RecursionError:
        return SearchResult(
            queryset.none(), SearchError("This query is nested too deeply.", 0), text
        )
    if context.annotations:
        queryset = queryset.annotate(**context.annotations)
    return SearchResult(queryset.filter(q), None, text)

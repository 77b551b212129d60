"""Which app answers which search term.

Each app registers the terms about the data it owns, in its `AppConfig.ready()`:
submissions the text, status, people, topics, flags and tags; reviews the review
statistics; decisions the decision. A handler turns one `Term` into a `Q` on
`Submission`, asking `Context.annotate` for any annotation the `Q` filters on, and
raises `term.error(...)` for a value it cannot use. Handlers never run queries of
their own (subqueries only), so a search costs the same number of queries however
many submissions there are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from submissions.search.parser import SearchError, Term


@dataclass
class Context:
    """Who searches. `blind`: reviewer rules (no author fields, no chairs' terms)."""

    user: Any
    blind: bool
    annotations: dict[str, Any] = field(default_factory=dict)
    # Shared between terms of one search (e.g. the automatic tags, read once).
    cache: dict[str, Any] = field(default_factory=dict)
    expanding: set[int] = field(default_factory=set)

    def annotate(self, name: str, expression: Any) -> str:
        self.annotations.setdefault(name, expression)
        return name


Handler = Callable[[Term, Context], Q]


@dataclass(frozen=True)
class TermHandler:
    key: str
    handle: Handler
    chairs_only: bool
    help: str


_handlers: dict[str, TermHandler] = {}


def register_term(
    key: str, handle: Handler, *, chairs_only: bool = False, help: str = ""
) -> None:
    """Answer `key:` terms ("" is free text, "#" a tag) with `handle`."""
    _handlers[key] = TermHandler(key, handle, chairs_only, help)


def is_registered(key: str) -> bool:
    return key in _handlers


def registered_terms() -> list[TermHandler]:
    return sorted(_handlers.values(), key=lambda h: h.key)


def handler_for(term: Term, context: Context) -> TermHandler:
    handler = _handlers.get(term.key)
    label = f"{term.key}:" if term.key not in ("", "#") else term.key
    if handler is None:
        known = ", ".join(
            f"{h.key}:"
            for h in registered_terms()
            if h.key not in ("", "#") and not (context.blind and h.chairs_only)
        )
        raise SearchError(
            f"There is no search term “{label}”. Known terms: {known}. To look for "
            f"the text, put it in quotes.",
            term.start,
            len(term.key) + 1,
        )
    if context.blind and handler.chairs_only:
        raise SearchError(
            f"“{label}” is not available to reviewers.",
            term.start,
            len(term.key) + 1,
        )
    return handler

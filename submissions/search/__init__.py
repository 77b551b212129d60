"""The submissions search language (issue 15): parse, then let each app compile
the terms about its own data (`registry`). Public entry: `search_submissions`."""

from submissions.search.compiling import SearchResult, search_submissions
from submissions.search.parser import SearchError
from submissions.search.registry import register_term

__all__ = ["SearchError", "SearchResult", "register_term", "search_submissions"]

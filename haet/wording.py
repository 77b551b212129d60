"""Counts in words for messages built in Python: "1 page", "2 pages" (templates
use Django's ``pluralize``; tests/haet/test_template_plurals.py keeps them)."""


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun agreeing with it: ``counted(1, "file")`` is
    "1 file", ``counted(0, "file")`` "0 files", ``counted(2, "reply",
    "replies")`` "2 replies"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def agreeing(count: int, singular: str, plural: str) -> str:
    """The verb (or any word) that agrees with ``count``: ``agreeing(1, "was",
    "were")`` is "was", with 0 or 2 "were"."""
    return singular if count == 1 else plural

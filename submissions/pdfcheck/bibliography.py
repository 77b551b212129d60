"""Does the text after a "References" heading read like a list of references?

A body section can carry a heading that reads like a bibliography heading
("References to the data", a "Bibliography" of the method's history, or a bare
"References" over ordinary prose); ending the main body there counts a longer
paper short. Reference entries are recognisable line by line: author lists
("Lovelace, A.", "A. Lovelace,", "et al."), years, venues ("Proceedings",
"arXiv", "pp."), links, or an entry number ("[12]", "12."). Prose has few of
these, even prose that cites: a sentence line rarely holds a year and a venue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# How many lines after the heading are read, and what share of them must look
# like reference entries (entries run over two or three lines, each entry has
# at least one marked line, most have two).
_SAMPLE = 15
_MIN_SHARE = 0.4

_YEAR = r"\b(?:1[89]|20)\d\d[a-z]?\b"
_ENTRY_NUMBER = r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.\s)"
_AUTHOR = (
    r"\b[A-Z][A-Za-z'\-]+,\s(?:[A-Z]\.\s?)+"  # Lovelace, A.  /  Knuth, D. E.
    r"|\b(?:[A-Z]\.\s?){1,3}[A-Z][a-z'\-]+,"  # A. Lovelace,
    r"|\bet\sal\b"
)
# Volume, issue and pages: "28(2):1099-1135", "112:859 - 877", "abs/2104.00783".
_NUMBERS = r"\d+\s?\(\d+\)|\b\d+:\s?\d+|\d+\s?[-\u2013\u2014]\s?\d+|\babs/\d"
_VENUE = (
    r"\b(?:proceedings|proc\.|conference|journal|transactions|workshop|symposium"
    r"|arxiv|preprint|press|editors?|eds?\.|vol\.|volume|pp\.|pages|doi|isbn"
    r"|in\s+advances)\b|https?://|www\."
)
# Author initials are case-sensitive ("A. Lovelace", not "a. lovelace"), the
# other markers are not ("PROCEEDINGS", "In Advances").
_AUTHOR_MARK = re.compile(_AUTHOR)
_OTHER_MARKS = re.compile(
    rf"{_YEAR}|{_ENTRY_NUMBER}|{_NUMBERS}|{_VENUE}", re.IGNORECASE
)
# A run of full names: "Neelakantan, Pranav Shyam, Girish Sastry, Amanda".
_LIST_SEPARATOR = re.compile(r",|\band\b")
_NAME = re.compile(r"^(?:[A-Z][\w'\-]*\.?\s?){1,4}$")
# Shorter lines are table cells, labels or the tail of a paragraph: neither
# entries nor prose, they are left out of the sample.
_MIN_LETTERS = 12


def is_reference_line(text: str) -> bool:
    if _AUTHOR_MARK.search(text) or _OTHER_MARKS.search(text):
        return True
    names = [part for part in _LIST_SEPARATOR.split(text) if _NAME.match(part.strip())]
    return len(names) >= 2


def looks_like_references(lines: Sequence[str]) -> bool:
    """True when the lines after a bibliography heading read like entries.

    Nothing after the heading (an empty list at the end of the file) is taken
    at its word: there is no body text to miscount.
    """
    sample = [line for line in lines if sum(c.isalpha() for c in line) >= _MIN_LETTERS][
        :_SAMPLE
    ]
    if not sample:
        return True
    marked = sum(is_reference_line(line) for line in sample)
    return marked >= 1 and marked >= _MIN_SHARE * len(sample)

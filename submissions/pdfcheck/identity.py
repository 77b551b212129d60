"""Finding an author's name, email or affiliation in extracted text.

Extracted text is messy: accents come out as separate glyphs ("Tu¨bingen"),
apostrophes vary (straight or typographic), names are hyphenated across lines and
small-caps emails come out spaced ("CARLO . DERAMO @ POLIMI . IT"). Everything is
compared in one folded form so those differences disappear.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .report import AuthorIdentity

# Apostrophes are dropped rather than unified: D'Eramo with a straight, curly or
# acute-accent apostrophe, or with the glyph lost ("DEramo"), all compare equal.
# Quote and apostrophe look-alikes, and accents that extraction left as
# separate spacing glyphs ("Tu\u00a8bingen").
_DROPPED = (
    "'\u2019\u2018\u201b\u02bc`\u00b4\u2032\uff07\"\u201c\u201d\u201e"
    "\u00a8\u02dc\u02c6\u00af\u02d8\u02d9\u02da\u00b8\u02db\u02c7\u02dd"
)
# Hyphen, non-breaking hyphen, figure dash, en/em dash, bar, minus.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# TeX accents an i or a j on its dotless form (\'{\i}: "Garc\u0131a"), which no
# Unicode normalisation turns into the plain letter.
_DOTLESS = {0x0131: "i", 0x0237: "j"}
_TRANSLATION = (
    {ord(c): None for c in _DROPPED} | {ord(c): "-" for c in _DASHES} | _DOTLESS
)
# A hyphen at the end of a line followed by a letter joins the two halves.
_LINE_END_HYPHEN = re.compile(r"([^\W\d_])[-\u00ad\u2010]\s*\n\s*(?=[^\W\d_])")
_CID = re.compile(r"\(cid:\d+\)")

# Words that make up placeholder author strings ("Anonymous Author(s)",
# "Anonymous Submission", "Paper under double-blind review", "First Author").
_PLACEHOLDER_WORDS = frozenset(
    [
        "anonymous",
        "anonymised",
        "anonymized",
        "anon",
        "author",
        "authors",
        "s",
        "submission",
        "submissions",
        "paper",
        "papers",
        "under",
        "double",
        "blind",
        "review",
        "reviewed",
        "redacted",
        "hidden",
        "withheld",
        "unknown",
        "first",
        "second",
        "third",
        "last",
        "name",
        "names",
        "firstname",
        "lastname",
        "for",
        "and",
        "et",
        "al",
        "the",
        "id",
        "institution",
        "institutions",
        "affiliation",
        "affiliations",
        "address",
        "email",
    ]
)


# Whole words, where a digit may touch a name or an affiliation: the ICML
# template sets the affiliation's marker as a superscript against it
# ("1Nowhere Institute", "Jane Nobody1"), and extraction joins the two.
_NOT_AFTER_LETTER = r"(?<![^\W\d_])"
_NO_LETTER_NEXT = r"(?![^\W\d_])"


def fold(text: str) -> str:
    """Casefold, strip accents and quotes, unify dashes and collapse whitespace."""
    text = _LINE_END_HYPHEN.sub(r"\1", text)
    text = _CID.sub(" ", text)
    # Translated before NFKD too: NFKD turns a spacing diaeresis into a space
    # plus a combining mark, which would split "Tu\u00a8bingen" in two.
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLATION))
    if not text.isascii():  # no ASCII character is a combining mark
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_TRANSLATION).casefold()
    return " ".join(text.split())


def is_placeholder(value: str) -> bool:
    """True for empty or placeholder author strings like "Anonymous Authors"."""
    words = re.findall(r"[a-z]+", fold(value))
    return all(word in _PLACEHOLDER_WORDS for word in words)


@dataclass(frozen=True)
class Finding:
    """Where one piece of an author's identity was seen."""

    author: AuthorIdentity
    kind: str  # "name", "email", "affiliation" or "link"
    value: str


def describe_findings(findings: Sequence[Finding]) -> str:
    """'Jane Nobody', 'jane@uni.edu': each value once, in the order found."""
    return ", ".join(f"'{value}'" for value in dict.fromkeys(f.value for f in findings))


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """Full-name pattern: first [initials/middle names] last, or "last, first".

    A single-word name cannot be told apart from an ordinary word, so it gets
    no pattern (and is never matched).
    """
    tokens = [t.strip(".,") for t in fold(name).split()]
    tokens = [t for t in tokens if t]
    if len(tokens) < 2 or len(tokens[0]) < 2 or len(tokens[-1]) < 2:
        return None

    def token(word: str) -> str:
        # A hyphenated name may appear with a space or joined after line breaks.
        return r"[-\s]?".join(re.escape(part) for part in word.split("-") if part)

    first, last, middles = tokens[0], tokens[-1], tokens[1:-1]
    middle = "|".join([r"[^\W\d_]\.?", *(token(m) for m in middles)])
    # A possessive ("Grace Hopper's prior work") folds to "hoppers": the one
    # letter after the last name is allowed (a "Grace Hoppers" is a false alarm
    # worth having, not a leak worth missing).
    forward = rf"{token(first)}(?:\s+(?:{middle})){{0,3}}\s+{token(last)}s?"
    backward = rf"{token(last)},\s*{token(first)}"
    return re.compile(rf"{_NOT_AFTER_LETTER}(?:{forward}|{backward}){_NO_LETTER_NEXT}")


def _email_patterns(email: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Patterns for an email in text without spaces and in grouped form.

    The first pattern runs on text with all whitespace removed (small caps come
    out as "carlo . deramo @ polimi . it") and also accepts a subdomain of the
    listed domain (mail.polimi.it for polimi.it). The second finds the grouped
    form "{wei, ygong}@cs.ucsb.edu" in normal text.
    """
    local, at, domain = fold(email).replace(" ", "").rpartition("@")
    if not at or not local or "." not in domain:
        return None
    subdomain = r"(?:[\w-]+\.)*"
    plain = re.compile(rf"{re.escape(local)}@{subdomain}{re.escape(domain)}")
    grouped = re.compile(
        r"\{?\s*((?:[\w.+-]+\s*[,;|]\s*)+[\w.+-]+)\s*\}?\s*@\s*"
        rf"{subdomain}{re.escape(domain)}"
    )
    return plain, grouped


def _domain(email: str) -> str:
    """The domain both email patterns end with."""
    return fold(email).replace(" ", "").rpartition("@")[2]


def _affiliation_pattern(affiliation: str) -> re.Pattern[str] | None:
    """Whole-phrase pattern for an affiliation of at least two words.

    One-word affiliations ("Google", "DeepMind") are cited in most papers, so
    matching them would only produce noise.
    """
    words = re.findall(r"\w+", fold(affiliation))
    if len(words) < 2:
        return None
    joined = r"\W+".join(map(re.escape, words))
    return re.compile(_NOT_AFTER_LETTER + joined + _NO_LETTER_NEXT)


# A web address in extracted (folded) text: with a scheme, www., or a host
# followed by a path ("github.com/jnobody").
_URL = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[^\s<>()\[\]{}\"',;]+"
    r"|(?<![\w@.-])(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>()\[\]{}\"',;]*"
)
# Mail providers: an address there says nothing about where its owner works.
_MAIL_PROVIDERS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "protonmail.com",
        "proton.me",
        "qq.com",
        "163.com",
        "126.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.ru",
        "yandex.ru",
    ]
)
# Shorter pieces of a name ("Li", "Wu") occur in too many addresses.
_MIN_LINK_WORD = 4


def _link_words(author: AuthorIdentity) -> list[str]:
    """What in a web address points at this author: the surname (or its
    parts, for double-barrelled names), the email's user name and, unless it
    is a mail provider, its domain (their institution's web site)."""
    words = []
    tokens = fold(author.name).split()
    if len(tokens) >= 2:
        words += [p for p in tokens[-1].split("-") if len(p) >= _MIN_LINK_WORD]
    local, _, domain = "".join(fold(author.email).split()).rpartition("@")
    if len(local) >= _MIN_LINK_WORD:
        words.append(local)
    if "." in domain and domain not in _MAIL_PROVIDERS:
        words.append(domain)
    return [w for w in words if not is_placeholder(w)]


class IdentityMatcher:
    """Precompiled patterns for a list of authors."""

    def __init__(self, authors: Iterable[AuthorIdentity]) -> None:
        self.authors = list(authors)
        self._link_words = [(a, _link_words(a)) for a in self.authors]
        self._names = [(a, _name_pattern(a.name)) for a in self.authors]
        self._emails = [(a, _email_patterns(a.email)) for a in self.authors]
        self._affiliations = [
            (a, _affiliation_pattern(a.affiliation)) for a in self.authors
        ]

    def names_in(self, text: str) -> list[Finding]:
        folded = fold(text)
        return [
            Finding(author, "name", author.name)
            for author, pattern in self._names
            if pattern and pattern.search(folded)
        ]

    def emails_in(self, text: str) -> list[Finding]:
        folded = fold(text)
        compact = "".join(folded.split())
        found = []
        for author, patterns in self._emails:
            if patterns is None:
                continue
            plain, grouped = patterns
            # Both patterns end with the domain (no spaces in it): a page without
            # it cannot match, and most pages go no further.
            if _domain(author.email) not in compact:
                continue
            local = fold(author.email).rpartition("@")[0]
            if plain.search(compact) or any(
                local in re.split(r"\s*[,;|]\s*", m.group(1))
                for m in grouped.finditer(folded)
            ):
                found.append(Finding(author, "email", author.email))
        return found

    def affiliations_in(self, text: str) -> list[Finding]:
        folded = fold(text)
        return [
            Finding(author, "affiliation", author.affiliation)
            for author, pattern in self._affiliations
            if pattern and pattern.search(folded)
        ]

    def links_in(self, text: str) -> list[Finding]:
        """Web addresses that point at an author: "github.com/jnobody",
        "https://cs.nowhere.edu/~jane" for jane@nowhere.edu. The value is the
        address, so the author sees what to replace."""
        found = []
        for match in _URL.finditer(fold(text)):
            address = match.group(0).rstrip(".:")
            for author, words in self._link_words:
                if any(word in address for word in words):
                    found.append(Finding(author, "link", address))
                    break
        return found

    def identities_in(self, text: str, *, affiliations: bool = True) -> list[Finding]:
        found = self.names_in(text) + self.emails_in(text)
        if affiliations:
            found += self.affiliations_in(text)
        return found

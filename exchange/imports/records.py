"""What every format parses into, whatever it looked like."""

from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The file cannot be read as the format said; nothing was planned."""


@dataclass
class ImportedAuthor:
    name: str
    email: str
    affiliation: str = ""
    orcid: str = ""
    is_contact: bool = False


@dataclass
class Record:
    """One submission as another system exported it."""

    source_id: str
    title: str
    abstract: str = ""
    keywords: str = ""
    topics: list[str] = field(default_factory=list)
    authors: list[ImportedAuthor] = field(default_factory=list)
    # Conflicts the authors declared: email addresses or domains.
    conflicts: list[str] = field(default_factory=list)
    is_withdrawn: bool = False
    # Their decision, as written ("Accept", "desk reject"; "" when none):
    # exchange.imports.decision_plan reads it.
    decision: str = ""
    # The PDF's file name in the export (looked for in --pdfs), if it names one.
    pdf_name: str = ""
    # What the reader had to leave out, said in the dry run.
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportedReview:
    """One review as another system exported it (EasyChair's review.csv,
    HotCRP's reviews CSV)."""

    source_id: str
    submission_id: str  # the other system's submission id
    name: str  # the committee member the review is by
    email: str
    scores: dict[str, str] = field(default_factory=dict)  # their field: value
    text: str = ""
    written_at: str = ""  # "YYYY-MM-DD HH:MM", as exported
    notes: list[str] = field(default_factory=list)
    # Who wrote it for the member, when a sub-reviewer did (EasyChair's
    # "reviewer first name/last name/email"): imported as a delegation.
    sub_reviewer: str = ""
    sub_reviewer_email: str = ""


@dataclass
class ImportedMetaReview:
    """One meta-review as another system exported it (EasyChair's
    metareview.csv): the text for the authors and the recommendation."""

    source_id: str
    submission_id: str  # the other system's submission id
    name: str  # the committee member who wrote it
    recommendation: str = ""  # e.g. "accept", as exported
    text: str = ""
    written_at: str = ""  # "YYYY-MM-DD HH:MM", as exported
    notes: list[str] = field(default_factory=list)
    for_chairs: str = ""  # EasyChair's "PC-only part": never to the authors


# How the systems say that no decision was made yet.
NO_DECISION = {"no decision", "undecided", "awaiting decision", "pending", "none", "-"}


@dataclass
class Parsed:
    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reviews: list[ImportedReview] = field(default_factory=list)
    meta_reviews: list[ImportedMetaReview] = field(default_factory=list)


def split_list(value: str, separators: str = ";\n") -> list[str]:
    """ "a; b;c" or one a line: the non-empty parts, stripped."""
    parts = [value or ""]
    for separator in separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


def text(value: object) -> str:
    """A cell or a JSON value as text ("" for None; 12.0 as "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()

"""The PDF's identity scan, applied to answers reviewers will read.

The PDF check (`submissions.pdfcheck.anonymity`) refuses a first page that names an
author or gives their email, and warns about affiliations and web addresses that
point at them. A reviewer-visible free-text answer is judged the same way: a name
or an email refuses the answer (the author sees why, nothing typed is lost); an
affiliation or a link is stored and flagged to chairs (`flag:identity`), as the
PDF's warning is.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from submissions.models import SubmissionField
from submissions.pdfcheck.identity import IdentityMatcher, describe_findings
from submissions.versions import identities


@dataclass(frozen=True)
class IdentityVerdict:
    refusal: str = ""  # the error the author reads; the answer is not stored
    warning: str = ""  # stored with the answer, shown to chairs


def scan_answer(
    field: SubmissionField, text: str, authors: Iterable
) -> IdentityVerdict:
    """Scan `text` (an answer to `field`) for the identities of `authors` (author
    rows or dicts with name, email, affiliation). Only reviewer-visible free-text
    answers are scanned: no one else reads them blind."""
    if not text or not field.is_free_text:
        return IdentityVerdict()
    if field.visibility != SubmissionField.Visibility.REVIEWERS:
        return IdentityVerdict()
    matcher = IdentityMatcher(identities(authors))
    named = matcher.names_in(text) + matcher.emails_in(text)
    if named:
        return IdentityVerdict(
            refusal=f"Reviewers read this answer, and it names an author "
            f"({describe_findings(named)}). Submissions are reviewed double-blind: "
            "leave out names and emails."
        )
    pointed = matcher.affiliations_in(text) + matcher.links_in(text)
    if pointed:
        return IdentityVerdict(
            warning=f"Author details appear in this answer, which reviewers read: "
            f"{describe_findings(pointed)}."
        )
    return IdentityVerdict()

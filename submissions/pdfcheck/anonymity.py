"""Who the paper names: the authors must not be named in a submission (the
first page's byline blocks it, and so does an author's email anywhere; a name,
an affiliation or a link elsewhere, and the metadata, are a warning: a name may
be a self-citation), and must be named on the first page of a camera-ready
version."""

from __future__ import annotations

import pikepdf

from .identity import IdentityMatcher, describe_findings
from .metadata import people_in_metadata
from .report import CheckReport, Issue, pages_phrase
from .text import PageText, byline_split


def check_anonymity(
    pages: list[PageText], matcher: IdentityMatcher, report: CheckReport
) -> None:
    if not matcher.authors:
        return
    byline, rest_of_first_page = byline_split(pages[0])
    in_byline = matcher.names_in(byline) + matcher.emails_in(byline)
    if in_byline:
        report.errors.append(
            Issue(
                "author_identity",
                f"The first page names an author above the abstract "
                f"({describe_findings(in_byline)}). Submissions are reviewed "
                "double-blind: replace names, emails and affiliations with the "
                "anonymous placeholders of the template.",
            )
        )
    elsewhere: dict[str, list[int]] = {}
    emails: dict[str, list[int]] = {}
    texts = [(1, rest_of_first_page)] + [(p.number, p.text) for p in pages[1:]]
    for number, text in texts:
        for finding in matcher.names_in(text):
            elsewhere.setdefault(finding.value, []).append(number)
        # A name may be a self-citation in the third person; an author's
        # address is never anything but theirs ("Correspondence to: ..." left
        # in the first page's footnote, a contact line): it blocks.
        for finding in matcher.emails_in(text):
            emails.setdefault(finding.value, []).append(number)
    if in_byline:  # already refused: the addresses are listed with the rest
        for value, numbers in emails.items():
            elsewhere.setdefault(value, []).extend(numbers)
    elif emails:
        report.errors.append(
            Issue(
                "author_identity",
                f"An author's email address is in the paper: {_places(emails)}. "
                "Submissions are reviewed double-blind: remove it, or use the "
                "template's placeholder (anon.email@domain.com).",
            )
        )
    for page in pages:
        # Links anywhere, the byline included: a web address is not a name, so
        # it is reported, never blocking.
        text = page.text
        findings = matcher.affiliations_in(text) + matcher.links_in(text)
        for finding in findings:
            elsewhere.setdefault(finding.value, []).append(page.number)
    if elsewhere:
        report.warnings.append(
            Issue(
                "identity_in_text",
                f"Author details appear in the text: {_places(elsewhere)}. "
                "Check self-citations "
                "(cite your own work in the third person), acknowledgements and "
                "URLs: they must not reveal who the authors are. Reviewers see "
                "the pages as they are: only what is not on them (metadata, "
                "bookmarks, link targets, hidden layers) is removed.",
            )
        )


def _places(found: dict[str, list[int]]) -> str:
    """Each value and its pages: 'jane@x.org' on page 2; 'J. Doe' on pages 3 and 5."""
    return "; ".join(
        f"'{value}' on {pages_phrase(sorted(set(numbers)))}"
        for value, numbers in found.items()
    )


def check_author_names(
    first_page: PageText, matcher: IdentityMatcher, report: CheckReport
) -> None:
    if matcher.authors and not matcher.names_in(first_page.text):
        report.warnings.append(
            Issue(
                "no_author_name",
                "None of the authors' names was found on the first page. The "
                "camera-ready version must show the authors' names and affiliations.",
            )
        )


def check_metadata(
    pdf: pikepdf.Pdf, matcher: IdentityMatcher, report: CheckReport
) -> None:
    if named := people_in_metadata(pdf, matcher):
        report.warnings.append(
            Issue(
                "metadata_identity",
                "The file's metadata names people: "
                + "; ".join(named)
                + ". It is removed from the copy reviewers receive, but please "
                "clear it (e.g. \\hypersetup{pdfauthor={}} or the document "
                "properties of your editor).",
            )
        )

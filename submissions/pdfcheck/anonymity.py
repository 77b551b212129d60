"""Who the paper names: the authors must not be named in a submission (the
first page's byline blocks it; elsewhere, and in the metadata, it is a
warning), and must be named on the first page of a camera-ready version."""

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
    texts = [(1, rest_of_first_page)] + [(p.number, p.text) for p in pages[1:]]
    for number, text in texts:
        for finding in matcher.names_in(text) + matcher.emails_in(text):
            elsewhere.setdefault(finding.value, []).append(number)
    for page in pages:
        # Links anywhere, the byline included: a web address is not a name, so
        # it is reported, never blocking.
        text = page.text
        findings = matcher.affiliations_in(text) + matcher.links_in(text)
        for finding in findings:
            elsewhere.setdefault(finding.value, []).append(page.number)
    if elsewhere:
        places = "; ".join(
            f"'{value}' on {pages_phrase(sorted(set(numbers)))}"
            for value, numbers in elsewhere.items()
        )
        report.warnings.append(
            Issue(
                "identity_in_text",
                f"Author details appear in the text: {places}. Check self-citations "
                "(cite your own work in the third person), acknowledgements and "
                "URLs: they must not reveal who the authors are. Reviewers see "
                "the pages as they are: only what is not on them (metadata, "
                "bookmarks, link targets, hidden layers) is removed.",
            )
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

"""What a reviewer may see of a submission — and nothing else (STYLE.md §5).

Reviewer views and templates receive a `BlindSubmission`, never a `Submission`: a
template cannot leak a field it never receives. It holds the paper number (not
identifying; HotCRP shows it too, and reviewers need it to talk to the chairs),
title, abstract, keywords, topics, and permission-checked download URLs.
Never: authors, emails, affiliations, the contact, uploaded file names, the arXiv
link, declared conflicts, dates that could be matched against a preprint.
"""

from dataclasses import dataclass

from django.urls import reverse

from submissions.models import Submission


@dataclass(frozen=True)
class BlindSubmission:
    """Everything a reviewer may see about a submission."""

    number: int
    title: str
    abstract: str
    keywords: str
    topics: tuple[str, ...]
    pdf_url: str  # reviews:paper, the reviewer copy; "" when there is none
    supplementary_url: str  # reviews:supplementary; "" when there is none
    is_withdrawn: bool = False

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


def blind(submission: Submission) -> BlindSubmission:
    """Reads `current_version`, `supplementary_id` and `topics` (select and
    prefetch them on lists)."""
    version = submission.current_version
    has_copy = version is not None and bool(version.reviewer_copy)
    return BlindSubmission(
        number=submission.number,
        title=submission.title,
        abstract=submission.abstract,
        keywords=submission.keywords,
        topics=tuple(topic.name for topic in submission.topics.all()),
        pdf_url=reverse("reviews:paper", args=[submission.number]) if has_copy else "",
        supplementary_url=reverse("reviews:supplementary", args=[submission.number])
        if submission.supplementary_id
        else "",
        is_withdrawn=submission.is_withdrawn,
    )

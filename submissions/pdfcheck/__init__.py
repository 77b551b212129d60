"""Checking and anonymising uploaded papers (PDF), independent of Django.

    report = check_pdf(path, authors=[AuthorIdentity.parse("Jane Doe <jane@x.org>")])
    if report.ok:
        make_reviewer_copy(path, blind_path)

or, as an upload does, both in one sandbox job (the copy only when it passes):

    report = check_pdf(path, authors=..., reviewer_copy=blind_path)

Parsing runs in a warm, resource-limited worker process by default (see
sandbox.py), so a malicious file can cost at most that worker, which is then
replaced.

A reviewer's own paper gives their expertise profile its title and abstract:

    text = extract_profile_text(path)  # ProfileText, or ProfileTextError
"""

from .checks import check_pdf
from .profile_text import ProfileText, ProfileTextError, extract_profile_text
from .report import AuthorIdentity, CheckReport, Issue
from .sanitize import ReviewerCopyError, make_reviewer_copy

__all__ = [
    "AuthorIdentity",
    "CheckReport",
    "Issue",
    "ProfileText",
    "ProfileTextError",
    "ReviewerCopyError",
    "check_pdf",
    "extract_profile_text",
    "make_reviewer_copy",
]

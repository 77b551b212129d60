"""How long the main body is, and whether it keeps to the page limit.

The main body ends where the references or the appendix start (text.py finds
the heading); without such a heading the length the author declared is used,
and failing that every page counts.
"""

from __future__ import annotations

from .report import CheckOptions, CheckReport, Issue
from .text import PageText, find_body_end


def check_body_length(
    pages: list[PageText], report: CheckReport, options: CheckOptions
) -> None:
    body_end = find_body_end(pages)
    declared = options.declared_main_body_pages
    if body_end is not None:
        report.main_body_pages = body_end.body_pages
        report.references_page = body_end.page
        what = "appendix starts" if body_end.word == "appendix" else "references start"
        basis = f"The {what} on page {body_end.page}."
    elif declared is not None:
        report.main_body_pages = declared
        basis = "This is the length you declared: no references heading was found."
    else:
        report.main_body_pages = len(pages)
        basis = "No references heading was found, so every page was counted."
    if body_end is None:
        used = (
            f"so the main-body length you declared ({declared} "
            f"page{'' if declared == 1 else 's'}) is used"
            if declared is not None
            else "so every page counts as main body"
        )
        report.warnings.append(
            Issue(
                "references_not_found",
                "No References, Bibliography or Appendix heading was found, "
                f"{used}. Check that the references start with such a heading.",
            )
        )
    check_page_limit(report, options, basis)


def check_page_limit(report: CheckReport, options: CheckOptions, basis: str) -> None:
    limit, body = options.page_limit, report.main_body_pages
    if limit is None or body is None or body <= limit:
        return
    unit = "page" if body == 1 else "pages"
    report.errors.append(
        Issue(
            "over_page_limit",
            f"The main body has {body} {unit}; the limit is {limit} "
            f"(references and appendix do not count). {basis}",
        )
    )

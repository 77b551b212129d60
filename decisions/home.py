"""The home page's accepted papers (haet.home): after the release of decisions, the
accepted papers; after the workshop, the proceedings. Nothing before release."""

from django.template.loader import render_to_string

from decisions.queries import AWARD_SOURCES, accepted_papers


def accepted_section(request, conference, *, is_over: bool) -> str | None:
    papers = accepted_papers(conference)  # released only; one query when none
    if not papers:
        return None
    if is_over:  # the proceedings name each paper's awards (announced only)
        for source in AWARD_SOURCES:
            names = source(conference)
            for paper in papers:
                paper.awards.extend(names.get(paper.pk, []))
    return render_to_string(
        "decisions/_home_accepted.html",
        {
            "papers": papers,
            "orals": [p for p in papers if p.is_oral],
            "posters": [p for p in papers if not p.is_oral],
            "is_over": is_over,
        },
        request=request,
    )

"""The home page's accepted papers (haet.home): after the release of decisions, the
accepted papers; after the workshop, the proceedings. Nothing before release."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from haet.models import Conference
from proceedings.queries import AWARD_SOURCES, accepted_submissions


def accepted_section(
    request: HttpRequest, conference: Conference, *, is_over: bool
) -> str | None:
    accepted = accepted_submissions(conference)  # released only; one query when none
    if not accepted:
        return None
    if is_over:  # the proceedings name each paper's awards (announced only)
        for source in AWARD_SOURCES:
            names = source(conference)
            for entry in accepted:
                entry.awards.extend(names.get(entry.pk, []))
    return render_to_string(
        "proceedings/_home_accepted.html",
        {
            "accepted": accepted,
            "orals": [p for p in accepted if p.is_oral],
            "posters": [p for p in accepted if not p.is_oral],
            "is_over": is_over,
        },
        request=request,
    )

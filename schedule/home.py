"""The home page's programme (haet.home): once the schedule is published, a link to
the day; after the workshop, the slides and posters of its papers."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from haet.models import Conference
from schedule.models import Schedule
from schedule.queries.public import PublicSubmission, public_items


def programme_section(
    request: HttpRequest, conference: Conference, *, is_over: bool
) -> str | None:
    # Not schedule_of(): a home page view must not create an empty schedule.
    schedule = Schedule.objects.filter(
        conference=conference, published_at__isnull=False
    ).first()
    if schedule is None:
        return None
    context = {"schedule": schedule, "is_over": is_over}
    if is_over:
        submissions: list[PublicSubmission] = []
        for item in public_items(schedule):
            found = [item.submission] + [board.submission for board in item.boards]
            submissions.extend(
                p for p in found if p is not None and (p.slides_url or p.poster_url)
            )
        context["papers"] = sorted(
            {p.number: p for p in submissions}.values(), key=lambda p: p.number
        )
    return render_to_string("schedule/_home_programme.html", context, request=request)

"""The home page's award winners (haet.home), after the workshop: each announced
award's winners, with the top of its leaderboard when published. Only released
results: `public_awards` and `leaderboard` list papers whose decision is released."""

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from awards.models import AwardSettings
from awards.queries import leaderboard, public_awards
from haet.models import Conference

LEADERBOARD_ROWS = 5  # the rest is one click away


def winners_section(
    request: HttpRequest, conference: Conference, *, is_over: bool
) -> str | None:
    if not is_over:
        return None  # winners are announced at the workshop
    shown = AwardSettings.objects.filter(award__conference=conference).filter(
        Q(announced_at__isnull=False) | Q(leaderboard_published=True)
    )
    if not shown.exists():  # one query on a home page with nothing to show
        return None
    awards = []
    for item in public_awards(conference):
        award_settings = item.settings
        show_board = (
            award_settings.leaderboard_published and award_settings.accepts_entries
        )
        rows = leaderboard(item.award)[:LEADERBOARD_ROWS] if show_board else []
        if item.results or show_board:
            awards.append({"item": item, "rows": rows, "has_board": show_board})
    if not awards:
        return None
    return render_to_string(
        "awards/_home_winners.html", {"awards": awards}, request=request
    )

"""Endpoints anyone may read: the conference, topics, accepted papers, awards and
published leaderboards (each as public as its page)."""

from typing import Any

from django.http import Http404
from rest_framework.response import Response

from api import queries, serializers
from api.views.base import ApiView, ListView
from awards.queries import leaderboard, public_awards
from awards.views.mixins import get_award
from awards.views.public import leaderboard_records
from proceedings.queries import accepted_submissions


class ConferenceView(ApiView):
    """The conference, its dates (internal ones for chairs only) and topics."""

    serializer_class = serializers.ConferenceSerializer

    def get(self, request: Any) -> Response:
        conference = self.conference
        data = {
            **{
                name: getattr(conference, name)
                for name in (
                    "name",
                    "acronym",
                    "tagline",
                    "host_venue",
                    "website",
                    "time_zone",
                    "page_limit",
                )
            },
            "dates": list(queries.dates(self.viewer, conference)),
            "topics": [t.name for t in queries.topics(conference)],
        }
        return Response(self.get_serializer(data).data)


class TopicListView(ListView):
    serializer_class = serializers.TopicSerializer

    def rows(self) -> Any:
        return queries.topics(self.conference)


class AcceptedListView(ListView):
    """Accepted papers once their decisions are released, with the camera-ready
    title, authors (no emails) and awards: the public accepted-papers page."""

    serializer_class = serializers.AcceptedSerializer

    def rows(self) -> Any:
        return accepted_submissions(self.conference, with_awards=True)


class AwardListView(ListView):
    """Every award category; winners once announced, of released papers only."""

    serializer_class = serializers.AwardSerializer

    def rows(self) -> Any:
        return public_awards(self.conference)


class LeaderboardView(ListView):
    """A published leaderboard (chairs and jurors see it before publication), as
    on its page: `awards.view_leaderboard`."""

    serializer_class = serializers.LeaderboardRowSerializer

    def rows(self) -> Any:
        award = get_award(self.request, self.kwargs["slug"])
        allowed = self.viewer.user.has_perm("awards.view_leaderboard", award)
        if not award.award_settings.accepts_entries or not allowed:
            raise Http404
        return leaderboard_records(leaderboard(award))

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api.views import outcome, private, public
from api.views.base import with_etag
from api.views.docs import DocsView
from api.views.tokens import TokenListView, TokenRevokeView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("tokens/", TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", TokenRevokeView.as_view(), name="token-revoke"),
    path("conference/", with_etag(public.ConferenceView.as_view()), name="conference"),
    path("topics/", with_etag(public.TopicListView.as_view()), name="topics"),
    path("accepted/", with_etag(public.AcceptedListView.as_view()), name="accepted"),
    path("awards/", with_etag(public.AwardListView.as_view()), name="awards"),
    path(
        "awards/<slug:slug>/leaderboard/",
        with_etag(public.LeaderboardView.as_view()),
        name="leaderboard",
    ),
    path(
        "submissions/",
        with_etag(private.SubmissionListView.as_view()),
        name="submissions",
    ),
    path(
        "submissions/<int:number>/",
        with_etag(private.SubmissionDetailView.as_view()),
        name="submission",
    ),
    path(
        "submissions/<int:number>/reviews/",
        with_etag(outcome.SubmissionReviewsView.as_view()),
        name="submission-reviews",
    ),
    path("assigned/", with_etag(private.AssignedListView.as_view()), name="assigned"),
    path(
        "assignments/",
        with_etag(private.AssignmentListView.as_view()),
        name="assignments",
    ),
    path("reviews/", with_etag(private.ReviewListView.as_view()), name="reviews"),
    path("decisions/", with_etag(private.DecisionListView.as_view()), name="decisions"),
]

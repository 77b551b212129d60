from django.urls import path

from awards.views import chairs, entries, jury, public

app_name = "awards"
urlpatterns = [
    # public
    path("", public.AwardListView.as_view(), name="index"),
    # chairs (before the <slug> routes: "chair" is a reserved slug)
    path("chair/", chairs.ChairAwardListView.as_view(), name="chair-list"),
    path("chair/new/", chairs.ChairAwardEditView.as_view(), name="chair-new"),
    path("chair/<slug:slug>/", chairs.ChairAwardEditView.as_view(), name="chair-edit"),
    path(
        "chair/<slug:slug>/judging/",
        chairs.ChairJudgingView.as_view(),
        name="chair-judging",
    ),
    path(
        "chair/<slug:slug>/shortlist/",
        chairs.ChairShortlistView.as_view(),
        name="chair-shortlist",
    ),
    path(
        "chair/<slug:slug>/results/<int:number>/",
        chairs.ChairResultView.as_view(),
        name="chair-result",
    ),
    path(
        "chair/<slug:slug>/announce/",
        chairs.ChairAnnounceView.as_view(),
        name="chair-announce",
    ),
    path(
        "chair/<slug:slug>/publish/",
        chairs.ChairPublishView.as_view(),
        name="chair-publish",
    ),
    # jurors
    path("jury/", jury.JuryHomeView.as_view(), name="jury"),
    # authors
    path(
        "submission/<int:number>/",
        entries.SubmissionPrizesView.as_view(),
        name="submission",
    ),
    # per award
    path(
        "<slug:slug>/leaderboard/",
        public.LeaderboardView.as_view(),
        name="leaderboard",
    ),
    path(
        "<slug:slug>/leaderboard.csv",
        public.LeaderboardCsvView.as_view(),
        name="leaderboard-csv",
    ),
    path(
        "<slug:slug>/leaderboard.json",
        public.LeaderboardJsonView.as_view(),
        name="leaderboard-json",
    ),
    path(
        "<slug:slug>/leaderboard.svg",
        public.LeaderboardSvgView.as_view(),
        name="leaderboard-svg",
    ),
    path("<slug:slug>/enter/<int:number>/", entries.EntryView.as_view(), name="entry"),
    path(
        "<slug:slug>/enter/<int:number>/withdraw/",
        entries.EntryWithdrawView.as_view(),
        name="entry-withdraw",
    ),
    path("<slug:slug>/jury/", jury.JuryAwardView.as_view(), name="jury-award"),
    path("<slug:slug>/jury/rank/", jury.JuryRankView.as_view(), name="jury-rank"),
    path(
        "<slug:slug>/jury/<int:number>/score/",
        jury.JuryScoreView.as_view(),
        name="jury-score",
    ),
    path(
        "<slug:slug>/verify/<int:number>/",
        jury.VerifyEntryView.as_view(),
        name="verify",
    ),
]

from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    # public
    path("", views.AwardListView.as_view(), name="index"),
    # chairs (before the <slug> routes: "chair" is a reserved slug)
    path("chair/", views.ChairAwardListView.as_view(), name="chair-list"),
    path("chair/new/", views.ChairAwardEditView.as_view(), name="chair-new"),
    path("chair/<slug:slug>/", views.ChairAwardEditView.as_view(), name="chair-edit"),
    path(
        "chair/<slug:slug>/judging/",
        views.ChairJudgingView.as_view(),
        name="chair-judging",
    ),
    path(
        "chair/<slug:slug>/shortlist/",
        views.ChairShortlistView.as_view(),
        name="chair-shortlist",
    ),
    path(
        "chair/<slug:slug>/results/<int:number>/",
        views.ChairResultView.as_view(),
        name="chair-result",
    ),
    path(
        "chair/<slug:slug>/announce/",
        views.ChairAnnounceView.as_view(),
        name="chair-announce",
    ),
    path(
        "chair/<slug:slug>/publish/",
        views.ChairPublishView.as_view(),
        name="chair-publish",
    ),
    # jurors
    path("jury/", views.JuryHomeView.as_view(), name="jury"),
    # authors
    path(
        "submission/<int:number>/",
        views.SubmissionPrizesView.as_view(),
        name="submission",
    ),
    # per award
    path(
        "<slug:slug>/leaderboard/",
        views.LeaderboardView.as_view(),
        name="leaderboard",
    ),
    path(
        "<slug:slug>/leaderboard.csv",
        views.LeaderboardCsvView.as_view(),
        name="leaderboard-csv",
    ),
    path(
        "<slug:slug>/leaderboard.json",
        views.LeaderboardJsonView.as_view(),
        name="leaderboard-json",
    ),
    path(
        "<slug:slug>/leaderboard.svg",
        views.LeaderboardSvgView.as_view(),
        name="leaderboard-svg",
    ),
    path("<slug:slug>/enter/<int:number>/", views.EntryView.as_view(), name="entry"),
    path(
        "<slug:slug>/enter/<int:number>/withdraw/",
        views.EntryWithdrawView.as_view(),
        name="entry-withdraw",
    ),
    path("<slug:slug>/jury/", views.JuryAwardView.as_view(), name="jury-award"),
    path("<slug:slug>/jury/rank/", views.JuryRankView.as_view(), name="jury-rank"),
    path(
        "<slug:slug>/jury/<int:number>/score/",
        views.JuryScoreView.as_view(),
        name="jury-score",
    ),
    path(
        "<slug:slug>/verify/<int:number>/",
        views.VerifyEntryView.as_view(),
        name="verify",
    ),
]

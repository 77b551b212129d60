"""The decisions pages under /decisions/. haet/urls.py serves them together with
proceedings.urls in the one "decisions" namespace (URL names unchanged)."""

from django.urls import path

from decisions.views import (
    dashboard,
    mail_override,
    mail_templates,
    meta_reviews,
    release,
    scheduling,
    submission,
)

app_name = "decisions"
urlpatterns = [
    # Chairs
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("bulk/", dashboard.BulkDecideView.as_view(), name="bulk"),
    path("bulk/undo/", dashboard.BulkUndoView.as_view(), name="bulk-undo"),
    path("decisions.csv", dashboard.TableCsvView.as_view(), name="export-table"),
    path("release/", release.ReleaseView.as_view(), name="release"),
    path(
        "release/schedule/",
        scheduling.ScheduleReleaseView.as_view(),
        name="schedule-release",
    ),
    path(
        "release/cancel/",
        scheduling.CancelReleaseView.as_view(),
        name="cancel-release",
    ),
    path("mails/", mail_templates.MailTemplatesView.as_view(), name="templates"),
    path(
        "release/<int:number>/mail/",
        mail_override.DecisionMailView.as_view(),
        name="release-mail",
    ),
    path(
        "meta-reviews/",
        meta_reviews.MetaReviewListView.as_view(),
        name="meta-reviews",
    ),
    path(
        "<int:number>/meta-review/",
        meta_reviews.MetaReviewView.as_view(),
        name="meta-review",
    ),
    path("<int:number>/", submission.ChairSubmissionView.as_view(), name="submission"),
    # Authors (and chairs)
    path("<int:number>/outcome/", submission.AuthorView.as_view(), name="author-view"),
]

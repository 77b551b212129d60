from functools import cache

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

import decisions.urls
import proceedings.urls
from haet import views, views_formsets
from haet.outbox.views import MailPreferencesView


@cache
def _favicon() -> bytes:
    return (settings.BASE_DIR / "static" / "haet" / "favicon.ico").read_bytes()


@require_GET
def favicon(request) -> HttpResponse:
    """Browsers ask for /favicon.ico on every fresh visit, whatever the pages link
    (base.html links the SVG and this): answer it rather than log a 404."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", views.HomeView.as_view(), name="home"),
    path("dates.ics", views.DatesCalendarView.as_view(), name="dates-ics"),
    path(
        "call-for-papers/",
        views.CallForSubmissionsView.as_view(),
        name="call-for-papers",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("chair/", views.ChairHomeView.as_view(), name="chair-home"),
    path(
        "chair/conference/",
        views.ConferenceSettingsView.as_view(),
        name="chair-conference",
    ),
    path("chair/dates/", views.DateListView.as_view(), name="chair-dates"),
    path("chair/dates/new/", views.DateEditView.as_view(), name="chair-date-new"),
    path("chair/dates/<int:pk>/", views.DateEditView.as_view(), name="chair-date-edit"),
    path("chair/topics/", views_formsets.TopicsView.as_view(), name="chair-topics"),
    path("chair/awards/", views.AwardsView.as_view(), name="chair-awards"),
    path("chair/people/", views.PeopleView.as_view(), name="chair-people"),
    path("accounts/", include("allauth.urls")),
    path("account/mail/", MailPreferencesView.as_view(), name="mail-preferences"),
    path("admin/", admin.site.urls),
    path("chair/outbox/", include("haet.outbox.urls")),
    path("chair/campaigns/", include("campaigns.urls")),
    path("jobs/", include("haet.jobs.urls")),
    path("chair/audit/", include("haet.audit.urls")),
    path("submissions/", include("submissions.urls")),
    path("reviews/", include("reviews.urls")),
    # One "decisions" namespace for the decisions and proceedings pages (issue 13:
    # URL names unchanged by the split).
    path(
        "decisions/",
        include(
            (decisions.urls.urlpatterns + proceedings.urls.urlpatterns, "decisions")
        ),
    ),
    path("accepted/", include("proceedings.public_urls")),
    path("awards/", include("awards.urls")),
    path("schedule/", include("schedule.urls")),
    path("exchange/", include("exchange.urls")),
    path("api/", include("api.urls")),
]

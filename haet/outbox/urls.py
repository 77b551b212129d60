from django.urls import path

from haet.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.OutboxListView.as_view(), name="list"),
    path("<int:pk>/", views.OutboxDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OutboxEditView.as_view(), name="edit"),
    path("<int:pk>/hold/", views.OutboxActionView.as_view(action="hold"), name="hold"),
    path(
        "<int:pk>/release/",
        views.OutboxActionView.as_view(action="release"),
        name="release",
    ),
    path(
        "<int:pk>/retry/", views.OutboxActionView.as_view(action="retry"), name="retry"
    ),
    path("reminders/", views.ReminderSettingsView.as_view(), name="reminders"),
    # Every signed-in user's page (see the report: it deserves a path outside /chair/).
]

from django.urls import path

from haet.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("audit-log.csv", views.AuditLogCsvView.as_view(), name="log-csv"),
    path(
        "submissions/<int:number>/",
        views.SubmissionTimelineView.as_view(),
        name="timeline",
    ),
]

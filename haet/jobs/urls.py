from django.urls import path

from haet.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
]

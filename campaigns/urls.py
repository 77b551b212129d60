from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.ComposeView.as_view(), name="new"),
    path("<int:pk>/", views.CampaignReportView.as_view(), name="detail"),
    path("<int:pk>/release/", views.ReleaseHeldView.as_view(), name="release"),
]

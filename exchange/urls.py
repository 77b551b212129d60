from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("chair/", views.ChairExportView.as_view(), name="chair"),
    path(
        "chair/export.json",
        views.ChairExportDownloadView.as_view(),
        name="chair-download",
    ),
    path("my-data.json", views.MyDataView.as_view(), name="my-data"),
]

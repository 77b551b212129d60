from django.urls import path

from exchange import account_views, views, views_imports, views_retention

app_name = "exchange"
urlpatterns = [
    path("chair/", views.ChairExportView.as_view(), name="chair"),
    path(
        "chair/export.json",
        views.ChairExportDownloadView.as_view(),
        name="chair-download",
    ),
    path("my-data.json", views.MyDataView.as_view(), name="my-data"),
    path("chair/import/", views_imports.ImportView.as_view(), name="import"),
    path(
        "chair/import/confirm/",
        views_imports.ImportConfirmView.as_view(),
        name="import-confirm",
    ),
    path(
        "chair/import/reviewers/",
        views_imports.ReviewerImportView.as_view(),
        name="import-reviewers",
    ),
    path("chair/retention/", views_retention.RetentionView.as_view(), name="retention"),
    path(
        "chair/retention/purge/",
        views_retention.PurgeView.as_view(),
        name="retention-purge",
    ),
    path("my-account/", account_views.MyAccountView.as_view(), name="my-account"),
    path(
        "my-account/delete/",
        account_views.DeleteAccountView.as_view(),
        name="delete-account",
    ),
]

from django.urls import path

from decisions import views

app_name = "accepted"
urlpatterns = [
    path("", views.AcceptedListView.as_view(), name="list"),
    path("<int:number>.pdf", views.PublicPdfView.as_view(), name="pdf"),
]

from django.urls import path

from proceedings.views import public

app_name = "accepted"
urlpatterns = [
    path("", public.AcceptedListView.as_view(), name="list"),
    path("<int:number>.pdf", public.PublicPdfView.as_view(), name="pdf"),
]

from django.urls import include, path

app_name = "reviews"
urlpatterns: list = [
    path("", include("reviews.reviewing.urls")),
]

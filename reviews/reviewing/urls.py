"""The reviewing side's URLs, included into the `reviews` namespace."""

urlpatterns: list = []

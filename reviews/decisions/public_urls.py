app_name = "accepted"
urlpatterns: list = []

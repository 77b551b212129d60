from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only API: the last layer, it reads every app and none imports it."""

    name = "api"
    verbose_name = "Read-only API"

    def ready(self) -> None:
        from api import schema  # noqa: F401  # registers the token scheme

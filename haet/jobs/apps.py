from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "haet.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from haet.jobs import rules  # noqa: F401

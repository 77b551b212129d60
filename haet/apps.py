from django.apps import AppConfig


class HaetConfig(AppConfig):
    name = "haet"
    verbose_name = "Conference"

    def ready(self) -> None:
        from haet import checks  # noqa: F401  (registers the system checks)
        from haet.rules import load_conflict_rules

        load_conflict_rules()  # fails at start-up without them

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import rules, seed  # noqa: F401
        from decisions.panels import decision_panel
        from haet.signals import seed_demo
        from submissions.panels import register_panel

        seed_demo.connect(seed.seed_decisions, dispatch_uid="decisions-seed")
        register_panel("decision", decision_panel)

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import reminders, rules, seed  # noqa: F401
        from decisions.panels import decision_panel
        from haet.signals import seed_demo
        from submissions.panels import register_panel

        seed_demo.connect(seed.seed_decisions, dispatch_uid="decisions-seed")
        register_panel("decision", decision_panel)
        reminders.register()

        from decisions.home import accepted_section
        from haet.home import register_home_section

        # Accepted papers (the proceedings after the workshop) come first.
        register_home_section("accepted", accepted_section, order=10)

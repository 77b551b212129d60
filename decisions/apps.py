from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import rules, search_terms, seed  # noqa: F401
        from decisions.panels import decision_panel, released_decision_cells
        from haet.signals import seed_demo
        from submissions.panels import register_list_column, register_panel

        seed_demo.connect(seed.seed_decisions, dispatch_uid="decisions-seed")
        register_panel("decision", decision_panel)
        register_list_column("decision", "Decision", released_decision_cells)
        from decisions import jobs

        jobs.register()
        search_terms.register()

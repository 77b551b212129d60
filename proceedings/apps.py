from django.apps import AppConfig


class ProceedingsConfig(AppConfig):
    """The proceedings phase after the decisions: camera-ready versions,
    presentations, the proceedings exports and the public accepted papers."""

    name = "proceedings"
    label = "proceedings"
    verbose_name = "Proceedings"

    def ready(self) -> None:
        from haet.home import register_home_section
        from haet.signals import seed_demo
        from proceedings import jobs, reminders, seed
        from proceedings.home import accepted_section

        # After decisions.seed's receiver: decisions/apps.py connects first.
        seed_demo.connect(seed.seed_proceedings, dispatch_uid="proceedings-seed")
        reminders.register()
        jobs.register()
        # Accepted papers (the proceedings after the workshop) come first.
        register_home_section("accepted", accepted_section, order=10)

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Mail campaigns"

    def ready(self) -> None:
        from campaigns import jobs, rules, seed  # noqa: F401
        from haet.signals import seed_demo

        jobs.register()
        seed_demo.connect(seed.seed_campaigns, dispatch_uid="campaigns-seed")

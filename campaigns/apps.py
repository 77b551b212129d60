from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Mail campaigns"

    def ready(self) -> None:
        from campaigns import jobs, rules, seed  # noqa: F401
        from haet.signals import seed_demo

        jobs.register()
        seed_demo.connect(seed.seed_campaigns, dispatch_uid="campaigns-seed")
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit): each campaign (its
    mails are outbox mails, audited and linked to their submissions)."""
    from campaigns.models import Campaign
    from haet.audit.registry import fields_of, register_audited

    register_audited(
        Campaign,
        name="campaign",
        fields=fields_of(Campaign),
        verb=lambda before, after: after.get("status"),
    )

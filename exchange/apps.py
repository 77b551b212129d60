from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Export and import a whole conference; imports from other systems; everyone's
    own data as a download; the retention of files after the workshop.

    The last layer: it reads every app before it and no app imports it."""

    name = "exchange"
    verbose_name = "Conference export and import"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from exchange import jobs
        from exchange.imports.reviewers import on_invitation_saved
        from reviews.models import Invitation

        jobs.register()
        post_save.connect(
            on_invitation_saved, sender=Invitation, dispatch_uid="exchange-reviewer"
        )

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
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit)."""
    from exchange import models as m
    from haet.audit.registry import fields_of, register_audited, register_audited_m2m

    register_audited(
        m.ImportedSubmission,
        name="imported_submission",
        fields=fields_of(m.ImportedSubmission, exclude=["submission"]),
        submission=lambda imported: imported.submission_id,
    )
    register_audited(
        m.ImportedReviewer,
        name="imported_reviewer",
        fields=fields_of(m.ImportedReviewer),
    )
    register_audited_m2m(m.ImportedReviewer, "topics")
    register_audited(
        m.StagedUpload,
        name="staged_upload",
        fields=fields_of(m.StagedUpload, exclude=["token"]),  # the folder's key
    )
    register_audited(
        m.RetentionPolicy,
        name="retention_policy",
        fields=fields_of(m.RetentionPolicy),
    )

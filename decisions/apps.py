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
        from decisions.meta_review_seed import seed_meta_reviews

        seed_demo.connect(seed_meta_reviews, dispatch_uid="decisions-meta-reviews")
        register_panel("decision", decision_panel)
        register_list_column("decision", "Decision", released_decision_cells)
        from decisions import meta_reviews  # noqa: F401  (its permissions)
        from decisions.views.meta_reviews import meta_review_panel

        register_panel("meta_review", meta_review_panel)
        _audit_meta_reviews()
        from decisions import jobs

        jobs.register()
        search_terms.register()
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit)."""
    from decisions.models import Decision, ScheduledRelease
    from haet.audit.registry import register_audited

    register_audited(
        Decision,
        name="decision",
        fields=[
            "outcome",
            "reason",
            "set_by",
            "released_at",
            "released_by",
            "mail_subject",
            "mail_body",
            "mail_edited_by",
        ],
        submission=lambda decision: decision.submission_id,
        verb=lambda before, after: (
            "released"
            if after.get("released_at")
            else "decided"
            if "outcome" in after
            else None
        ),
    )
    register_audited(
        ScheduledRelease,
        name="scheduled_release",
        fields=["release_at", "scheduled_by", "status", "cancelled_by"],
        verb=lambda before, after: after.get("status"),
    )
    from decisions.models import DecisionMailTemplate, DecisionSettings
    from decisions.models_meta import MetaReviewSettings
    from haet.audit.registry import fields_of

    for model, name in [
        (DecisionSettings, "decision_settings"),
        (DecisionMailTemplate, "decision_mail_template"),
        (MetaReviewSettings, "meta_review_settings"),
    ]:
        register_audited(model, name=name, fields=fields_of(model))


def _audit_meta_reviews() -> None:
    """Meta-reviews in the audit log (haet.audit), like decisions."""
    from decisions.models import MetaReview
    from haet.audit.registry import register_audited

    register_audited(
        MetaReview,
        name="meta_review",
        fields=["to_authors", "note_to_chairs", "written_by"],
        submission=lambda meta_review: meta_review.submission_id,
    )

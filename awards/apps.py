from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from awards import rules, seed, seed_judging  # noqa: F401
        from haet.models import AwardCategory
        from haet.signals import seed_demo

        post_save.connect(
            seed.create_settings, sender=AwardCategory, dispatch_uid="awards-settings"
        )
        seed_demo.connect(seed.seed_awards, dispatch_uid="awards-seed")
        seed_demo.connect(seed_judging.seed_judging, dispatch_uid="awards-judging")

        from awards.panels import prizes_panel
        from submissions.panels import register_panel

        register_panel("prizes", prizes_panel)

        # A submission field option may enter a prize (awards.entry_links).
        from awards.entering import withdraw_unselected
        from submissions.fields.listeners import register_answer_listener

        register_answer_listener("awards-entries", withdraw_unselected)

        # The accepted-papers list names each paper's announced awards.
        from awards.queries import award_names_by_submission
        from proceedings.queries import register_award_source

        register_award_source(award_names_by_submission)

        # After the workshop the home page shows the winners (haet.home).
        from awards.home import winners_section
        from haet.home import register_home_section

        register_home_section("award-winners", winners_section, order=20)
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit): the settings of each
    award, entries, the shortlist, judgements and results."""
    from awards import models as m
    from haet.audit.registry import fields_of, register_audited, register_audited_m2m

    register_audited(
        m.AwardSettings, name="award_settings", fields=fields_of(m.AwardSettings)
    )
    register_audited_m2m(m.AwardSettings, "jury")
    for model, name in [
        (m.Entry, "award_entry"),
        (m.ShortlistChange, "shortlist_change"),
        (m.Judgement, "judgement"),
        (m.AwardResult, "award_result"),
    ]:
        register_audited(
            model,
            name=name,
            fields=fields_of(model, exclude=["submission"]),
            submission=lambda obj: obj.submission_id,
            # A juror's rank of one paper says where the others came.
            relative=["rank"] if model is m.Judgement else [],
        )

from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from awards import rules, seed  # noqa: F401
        from haet.models import AwardCategory
        from haet.signals import seed_demo

        post_save.connect(
            seed.create_settings, sender=AwardCategory, dispatch_uid="awards-settings"
        )
        seed_demo.connect(seed.seed_awards, dispatch_uid="awards-seed")

        from awards.panels import prizes_panel
        from submissions.panels import register_panel

        register_panel("prizes", prizes_panel)

        # The accepted-papers list names each paper's announced awards.
        from awards.queries import award_names_by_submission
        from proceedings.queries import register_award_source

        register_award_source(award_names_by_submission)

        # After the workshop the home page shows the winners (haet.home).
        from awards.home import winners_section
        from haet.home import register_home_section

        register_home_section("award-winners", winners_section, order=20)

from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = "Schedule"

    def ready(self) -> None:
        from haet.nav import register_nav_item
        from haet.rules import is_chair
        from schedule import rules  # noqa: F401

        # Chairs find the editor in the navigation (is_chair reads the group names
        # the context processor already cached: no extra query).
        register_nav_item(
            "schedule", label="Schedule", url_name="schedule:edit", predicate=is_chair
        )

        # The home page links the programme once published (haet.home).
        from haet.home import register_home_section
        from schedule.home import programme_section

        register_home_section("programme", programme_section, order=30)

        # The demo's complete day at stage "over" (manage.py seed_haet2022).
        from haet.signals import seed_demo
        from schedule.seed import seed_schedule

        seed_demo.connect(seed_schedule, dispatch_uid="schedule-seed")

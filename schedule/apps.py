from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = "Schedule"

    def ready(self) -> None:
        # The home page links the programme once published (haet.home).
        from haet.home import register_home_section
        from schedule import rules  # noqa: F401
        from schedule.home import programme_section

        register_home_section("programme", programme_section, order=30)

        # The demo's complete day at stage "over" (manage.py seed_haet2022).
        from haet.signals import seed_demo
        from schedule.seed import seed_schedule

        seed_demo.connect(seed_schedule, dispatch_uid="schedule-seed")

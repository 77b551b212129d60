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
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit): the programme."""
    from haet.audit.registry import fields_of, register_audited
    from schedule import models as m

    register_audited(m.Schedule, name="schedule", fields=fields_of(m.Schedule))
    register_audited(m.Session, name="session", fields=fields_of(m.Session))
    for model, name in [(m.Item, "schedule_item"), (m.PosterBoard, "poster_board")]:
        register_audited(
            model,
            name=name,
            fields=fields_of(model, exclude=["submission"]),
            submission=lambda obj: obj.submission_id,
        )

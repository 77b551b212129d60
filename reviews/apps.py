from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from haet.rules import register_conflicts
        from haet.signals import seed_demo
        from reviews import conflicts, reminders, rules, seed  # noqa: F401
        from reviews.reviewing import reminders as reviewing_reminders
        from reviews.reviewing import rules as reviewing_rules  # noqa: F401
        from reviews.reviewing.seed import seed_demo_reviews

        register_conflicts(conflicts.conflicted_submission_ids)
        # Order matters: assignments first, then the reviews written on them (the
        # decisions app, loaded later, then decides on those reviews).
        seed_demo.connect(seed.seed_reviews, dispatch_uid="reviews-seed")
        seed_demo.connect(seed_demo_reviews, dispatch_uid="reviews-demo-reviews")
        reminders.register()
        reviewing_reminders.register()

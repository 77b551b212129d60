from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from haet.signals import seed_demo
        from reviews import conflicts, reminders, rules, seed  # noqa: F401

        seed_demo.connect(seed.seed_reviews, dispatch_uid="reviews-seed")
        reminders.register()

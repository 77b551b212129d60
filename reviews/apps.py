from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from haet.signals import seed_demo
        from reviews import conflicts, reminders, rules, search_terms, seed  # noqa: F401

        # Order matters: assignments first, then the reviews written on them (the
        # decisions app, loaded later, then decides on those reviews).
        seed_demo.connect(seed.seed_reviews, dispatch_uid="reviews-seed")
        seed_demo.connect(seed.seed_demo_reviews, dispatch_uid="reviews-demo-reviews")
        reminders.register()
        from reviews import jobs

        jobs.register()
        search_terms.register()

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "reviews.decisions"
    label = "decisions"
    verbose_name = "Decisions"

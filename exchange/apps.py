from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Export and import a whole conference; everyone's own data as a download.

    The last layer: it reads every app before it and no app imports it."""

    name = "exchange"
    verbose_name = "Conference export and import"

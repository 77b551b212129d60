from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "haet.outbox"
    label = "outbox"
    verbose_name = "Outbox"

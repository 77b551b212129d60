import smtplib

import pytest

from haet.outbox import services

# The real-services fixtures (SMTP sink, Celery worker) for test_integration.py.
from tests.outbox.harness import services_ready, smtp_sink, worker  # noqa: F401


@pytest.fixture(autouse=True)
def _eager_outbox(request, settings):
    """Unit tests deliver in-process into `mailoutbox`, even when REDIS_URL is set
    (CI); the `services` tests use the real broker and worker instead."""
    if request.node.get_closest_marker("services") is None:
        settings.CELERY_TASK_ALWAYS_EAGER = True
    services._broker_down_until = 0.0


class FailingBackend:
    """An SMTP server that is down: the edge we fake."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(FailingBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.outbox.conftest.FailingBackend"


@pytest.fixture
def smtp_refuses(settings):
    settings.EMAIL_BACKEND = "tests.outbox.conftest.RefusingBackend"

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from haet.outbox import services


@pytest.fixture(autouse=True)
def _eager_outbox(request, settings):
    """Each test starts believing the broker is up."""
    services._broker_down_until = 0.0  # (eager mail: tests/conftest.py)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down: the edge we fake."""

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

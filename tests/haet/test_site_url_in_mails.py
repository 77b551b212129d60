"""Issue 14.17: links come from SITE_URL, which `make run` derives from HOST, and
allauth's mails speak for the conference, not for the host a request used."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache

from haet.models import Conference
from haet.outbox.models import OutboxMail

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_derives_site_url_from_host():
    out = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    ).stdout
    runserver = next(line for line in out.splitlines() if "runserver" in line)
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8101}" in runserver
    assert runserver.rstrip().endswith("runserver 127.0.0.1:8101")


@pytest.mark.django_db
def test_sign_up_mail_is_from_the_conference(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    cache.clear()  # allauth's sign-up rate limit counts other tests' sign-ups
    Conference.objects.create(
        name="Hardware Aware Efficient Training", acronym="HAET 2022"
    )
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-enough-pass-123",
            "password2": "a-long-enough-pass-123",
        },
        HTTP_HOST="127.0.0.1:8101",
        REMOTE_ADDR="192.0.2.81",
    )
    assert response.status_code in (200, 302)
    queued = OutboxMail.objects.get(to_email="new@example.org")
    assert queued.subject.startswith("[HAET 2022] ")
    assert "Hello from HAET 2022!" in queued.body_text
    assert "127.0.0.1:8101!" not in queued.body_text
    assert not mail.outbox or all("Hello from 127" not in m.body for m in mail.outbox)

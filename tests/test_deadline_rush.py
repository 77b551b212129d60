"""The last hour before the deadline (issue 20).

The smoke test runs `bench/deadline_rush.py` at 5 authors on the real stack
(gunicorn, PostgreSQL, Redis, a Celery worker, an SMTP sink): every author signs
in, creates a submission, uploads a 4-page PDF and submits; nobody meets an error
and every receipt arrives exactly once. It never asserts times: the bench prints
them.

Sign-ins behind a proxy: allauth allows 30 sign-ins a minute per client address.
Behind the TLS proxy of docker-compose every request came from the proxy's address,
so the 31st author signing in within a minute was refused; with
TRUSTED_PROXY_COUNT=1 each client is counted by the address the proxy reports.
"""

import json
import os
import random
import runpy
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from submissions.submitting import save_submission
from tests.conftest import PASSWORD
from tests.outbox.harness import worker_database_url
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_services import at, data

ROOT = Path(__file__).resolve().parents[1]
AUTHORS = 5


@pytest.mark.services
def test_deadline_rush_smoke_has_no_errors_and_one_receipt_each(services_ready):
    # The bench builds its stack on the CI services: a database of its own next to
    # the test database (dropped afterwards), the same Redis.
    database = f"{django_settings.DATABASES['default']['NAME']}_rush"
    completed = subprocess.run(
        [
            sys.executable,
            "bench/deadline_rush.py",
            f"--authors={AUTHORS}",
            "--uploads=1",  # gunicorn as docker-compose sizes it (the defaults)
            f"--database={database}",
            "--timeout=300",
            "--receipt-timeout=60",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.stdout.strip(), output
    result = json.loads(completed.stdout.strip().splitlines()[-1])

    assert (result["errors"], result["uploads"]) == (0, AUTHORS), output
    assert (result["receipts"], result["duplicates"], result["missing"]) == (
        AUTHORS,
        0,
        0,
    ), output
    assert completed.returncode == 0, output


def settings_from_environment(monkeypatch, **variables) -> dict:
    """haet/settings.py run afresh with these environment variables."""
    monkeypatch.delenv("HAET_NOW", raising=False)  # refused with DEBUG off
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "haet" / "settings.py"))


def sign_in_from(client, user, *, proxy: str, client_address: str):
    client.logout()
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def sign_in_31_times(client, settings, monkeypatch, user, *, trusted_proxies: str):
    """31 sign-ins within a minute through one proxy, each reported as coming from
    a client address of its own; their status codes."""
    configured = settings_from_environment(
        monkeypatch, TRUSTED_PROXY_COUNT=trusted_proxies
    )
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = configured["ALLAUTH_TRUSTED_PROXY_COUNT"]
    # A proxy address of this test's own: the limit's counters live in the cache.
    proxy = f"198.51.100.{random.randrange(1, 255)}"
    prefix = f"10.{random.randrange(256)}.{random.randrange(256)}"
    return [
        sign_in_from(
            client, user, proxy=proxy, client_address=f"{prefix}.{n}"
        ).status_code
        for n in range(1, 32)
    ]


@pytest.mark.django_db
def test_31_authors_behind_the_proxy_can_sign_in_within_a_minute(
    client, settings, monkeypatch, author
):
    statuses = sign_in_31_times(
        client, settings, monkeypatch, author, trusted_proxies="1"
    )

    assert statuses == [302] * 31


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_client_address_is_ignored(
    client, settings, monkeypatch, author
):
    statuses = sign_in_31_times(
        client, settings, monkeypatch, author, trusted_proxies="0"
    )

    assert statuses == [302] * 30 + [429]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_paper_numbers_hold_when_the_whole_rush_creates_at_once(conference, author):
    """50 authors pressing "Save" at once (gunicorn's 16 threads, and more waiting)
    each get a number: numbering used to retry on a collision and gave up (a 500)
    after 20, which a slow request under load reached."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent writers")
    count = 40
    start = threading.Barrier(count, timeout=60)
    numbers, errors = [], []

    def create():
        try:
            start.wait()
            submission = save_submission(
                None,
                data(conference, author),
                conference=conference,
                by=author,
                at=at(BEFORE_DEADLINE),
            )
            numbers.append(submission.number)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(numbers) == list(range(1, count + 1))

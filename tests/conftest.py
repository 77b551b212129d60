"""Shared fixtures: personas, the HAET 2022 conference, a frozen clock, a browser.

Settings overrides live here as fixtures rather than in a second settings module.
"""

import os
from datetime import datetime

import pytest
from django.core.management import call_command

from haet.models import Conference
from tests.factories import UserFactory

# Real-services fixtures (SMTP sink, Celery worker) for every app's integration tests.
pytest_plugins = ["tests.outbox.harness"]

PASSWORD = "correct horse battery staple"
IN_CI = bool(os.environ.get("CI"))


def pytest_configure(config):
    # Tests and the live server speak plain HTTP on localhost. SecurityMiddleware reads
    # these when the live server builds its handler, before function fixtures run.
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.HAET_NOW = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _eager_mail(request, settings):
    """Outside the integration tests (marked `services`, which start a real worker),
    the outbox delivers in-process, so mail lands in `mailoutbox` even when REDIS_URL
    points at a real broker (as in CI). The outbox reads this setting at send time."""
    if request.node.get_closest_marker("services") is None:
        settings.CELERY_TASK_ALWAYS_EAGER = True


# Rate-limit counters, keyed by the client's IP (127.0.0.1 for every test), live in
# the cache: Redis in CI, shared by every test of the run. A test that signs in 30
# times (tests/test_deadline_rush.py) would otherwise leave the next minute's tests a
# 429 on their first login. Only the counters go: the broker and locks share Redis.
RATE_LIMIT_KEYS = ("allauth:rl:", "throttle_")


def forget_rate_limits() -> None:
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    for memory in [cache, getattr(cache, "_fallback", None)]:
        if isinstance(memory, LocMemCache):
            memory.clear()  # this process's memory: nothing else lives there
    if isinstance(cache, RedisCache):
        import redis

        try:
            client = cache._cache.get_client(None, write=True)
            for prefix in RATE_LIMIT_KEYS:
                keys = list(client.scan_iter(match=cache.make_key(f"{prefix}*")))
                if keys:
                    client.delete(*keys)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            pass  # tests that point the cache at a dead Redis (test_robustness.py)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    forget_rate_limits()


@pytest.fixture
def conference(db) -> Conference:
    """HAET 2022 exactly as `seed_haet2022` loads it (dates, topics, awards)."""
    call_command("seed_haet2022", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Conference.objects.current()


@pytest.fixture
def chair(db):
    return UserFactory(email="chair@example.org", name="Chris Chair", role="chair")


@pytest.fixture
def reviewer(db):
    return UserFactory(email="rev@example.org", name="Rene Reviewer", role="reviewer")


@pytest.fixture
def author(db):
    return UserFactory(
        email="author@example.org", name="Ada Author", affiliation="Uni A"
    )


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", name="Otto Outsider")


@pytest.fixture
def frozen(time_machine):
    """Freeze the clock at an ISO instant: `frozen("2022-05-28T10:59:59Z")`."""

    def move(instant: str | datetime):
        time_machine.move_to(instant, tick=False)

    return move


# --- browser tests -----------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (playwright cannot download browsers
    here). Missing Chromium fails in CI and skips elsewhere with the reason."""
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    """tests/artifacts/ (ignored by git) for screenshots."""
    from pathlib import Path

    folder = Path(__file__).parent / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder

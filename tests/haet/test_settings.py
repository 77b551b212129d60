"""Settings come from the environment: the embedded default, and the switches."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "haet" / "settings.py"


def load_settings(monkeypatch, **env) -> dict:
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_HOST",
        "ORCID_CLIENT_ID",
        "ORCID_SECRET",
        "AWS_STORAGE_BUCKET_NAME",
        "DEBUG",
        "HAET_NOW",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_embedded_default_is_sqlite_eager_console(monkeypatch, tmp_path):
    s = load_settings(monkeypatch, HAET_VAR_DIR=str(tmp_path))

    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["STORAGES"]["private"]["BACKEND"].endswith("FileSystemStorage")


def test_database_and_redis_urls_switch_to_postgresql_and_a_broker(monkeypatch):
    s = load_settings(
        monkeypatch,
        DATABASE_URL="postgres://u:p@db.example:5432/haet",
        REDIS_URL="redis://cache.example:6379/0",
    )

    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert s["DATABASES"]["default"]["HOST"] == "db.example"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["CELERY_BROKER_URL"] == "redis://cache.example:6379/0"
    assert s["CACHES"]["default"]["BACKEND"].endswith("RedisCache")


def test_s3_storage_when_a_bucket_is_configured(monkeypatch):
    s = load_settings(monkeypatch, AWS_STORAGE_BUCKET_NAME="papers")

    assert s["STORAGES"]["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s["STORAGES"]["private"]["OPTIONS"]["default_acl"] == "private"


def test_orcid_provider_only_when_configured(monkeypatch):
    without = load_settings(monkeypatch)
    with_orcid = load_settings(monkeypatch, ORCID_CLIENT_ID="APP-1", ORCID_SECRET="s")

    orcid = "allauth.socialaccount.providers.orcid"
    assert orcid not in without["INSTALLED_APPS"]
    assert orcid in with_orcid["INSTALLED_APPS"]
    assert (
        with_orcid["SOCIALACCOUNT_PROVIDERS"]["orcid"]["APPS"][0]["client_id"]
        == "APP-1"
    )


def test_orcid_button_shows_on_the_login_page_when_configured(tmp_path):
    """A real process with ORCID configured renders the provider on the login page."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'orcid.sqlite3'}",
        "ORCID_CLIENT_ID": "APP-TEST",
        "ORCID_SECRET": "secret",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "haet.settings",
        "HAET_NOW": "",
    }
    env.pop("REDIS_URL", None)
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from django.test import Client;"
        "r = Client().get('/accounts/login/');"
        "print(r.status_code, '/accounts/orcid/login/' in r.content.decode())"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.split()[-2:] == ["200", "True"]


def settings_in_a_process(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import haet.settings in a fresh interpreter, as gunicorn or Celery would."""
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "HAET_NOW"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'settings.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import haet.settings"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_haet_now_without_debug_refuses_to_start(tmp_path):
    """The demo clock moves every deadline: production (DEBUG off) must not start
    with it, not merely warn in `manage.py check`, which gunicorn never runs."""
    production = settings_in_a_process(tmp_path, HAET_NOW="2022-05-20T12:00:00Z")
    demo = settings_in_a_process(tmp_path, HAET_NOW="2022-05-20T12:00:00Z", DEBUG="1")
    unset = settings_in_a_process(tmp_path, HAET_NOW="")  # what `make test` passes

    assert production.returncode != 0
    assert "ImproperlyConfigured: HAET_NOW" in production.stderr
    assert (demo.returncode, unset.returncode) == (0, 0)


def test_docker_compose_sends_cookies_only_over_https_by_default(monkeypatch):
    """docker-compose used to default SESSION/CSRF_COOKIE_SECURE to 0; the secure
    choice is now the default, turned off only explicitly."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-haet"]["environment"]
    # Compose's "${NAME:-default}" with nothing set in .env gives the default.
    defaults = {
        name: re.sub(r"^\$\{\w+:-(.*)\}$", r"\1", str(value))
        for name, value in environment.items()
        if name in {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
    }

    s = load_settings(monkeypatch, **defaults)

    assert (s["SESSION_COOKIE_SECURE"], s["CSRF_COOKIE_SECURE"]) == (True, True)
    plain = load_settings(
        monkeypatch, SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0"
    )
    assert (plain["SESSION_COOKIE_SECURE"], plain["CSRF_COOKIE_SECURE"]) == (
        False,
        False,
    )

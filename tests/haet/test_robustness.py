"""Issue 12, findings 5, 10 and 11c-d: no input and no Redis outage gives a 500, a
superuser is refused like anyone without the role, and anonymous visitors cannot
tell existing submission numbers from missing ones."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import reverse

from haet.models import User
from tests.conftest import PASSWORD
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "haet" / "settings.py"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


# --- finding 5: Redis down ------------------------------------------------------------
@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache exactly as production configures it, pointed at a dead Redis."""
    monkeypatch.setenv("REDIS_URL", DEAD_REDIS)
    monkeypatch.delenv("HAET_NOW", raising=False)
    settings.CACHES = runpy.run_path(str(SETTINGS))["CACHES"]
    caches["default"].clear()  # the fallback's counters from an earlier test
    yield
    caches["default"].clear()


def test_sign_in_works_while_redis_is_down(client, author, conference, redis_down):
    response = client.post(
        reverse("account_login"), {"login": author.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("submissions:list")).status_code == 200


def test_sign_up_works_while_redis_is_down(
    client, conference, mailoutbox, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-pass-phrase-42",
                "password2": "a-long-pass-phrase-42",
            },
        )

    assert response.status_code == 302
    assert User.objects.filter(email="new@example.org").exists()
    assert [m.to for m in mailoutbox] == [["new@example.org"]]


def test_password_reset_works_while_redis_is_down(
    client,
    author,
    conference,
    mailoutbox,
    redis_down,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": author.email}
        )

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[author.email]]


def test_login_rate_limit_still_holds_while_redis_is_down(
    client, author, conference, redis_down
):
    """Fail closed for security: the attempts are still counted (in local memory),
    so guessing a password gets no easier during an outage."""
    wrong = {"login": author.email, "password": "not the password"}
    for _ in range(5):  # django-allauth's default: 5 failures per account in 5 min
        client.post(reverse("account_login"), wrong)

    right = {"login": author.email, "password": PASSWORD}
    response = client.post(reverse("account_login"), right)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- finding 10: superusers (NUL characters: tests/reviews/test_bidding_privacy.py)
def test_a_nul_character_in_a_url_is_a_404(client, conference):
    """`<str:token>` took it to the database: a 500 on PostgreSQL."""
    response = client.get("/reviews/invitation/%00/")

    assert response.status_code == 404


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.org", PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/reviews/1/",
        "/reviews/1/paper/",
        "/submissions/1/",
        "/submissions/chair/",
        "/reviews/chair/",
        "/chair/",
    ],
)
def test_a_superuser_without_the_chair_role_is_refused_like_anyone(
    client, conference, author, superuser, path
):
    """Django's superuser shortcut passed every permission, conflicts included, and
    crashed the reviewer's page (no assignment). Roles and rules decide instead."""
    SubmissionFactory(conference=conference, number=1, contact=author)
    client.force_login(superuser)

    assert client.get(path).status_code == 404


def test_a_superuser_keeps_the_django_admin(client, superuser):
    client.force_login(superuser)

    assert client.get("/admin/haet/user/").status_code == 200


# --- finding 11c: anonymous probing of submission numbers ------------------------
@pytest.mark.parametrize(
    "pattern",
    [
        "/submissions/{}/",
        "/submissions/{}/edit/",
        "/submissions/{}/paper/",
        "/reviews/{}/",
        "/reviews/{}/paper/",
    ],
)
def test_anonymous_visitors_get_the_same_answer_for_existing_and_missing_numbers(
    client, conference, author, pattern
):
    SubmissionFactory(conference=conference, number=1, contact=author)

    existing = client.get(pattern.format(1))
    missing = client.get(pattern.format(999))

    assert (existing.status_code, missing.status_code) == (302, 302)
    assert existing["Location"].startswith(reverse("account_login"))
    assert missing["Location"].startswith(reverse("account_login"))


# --- finding 11d: too much text in a form ---------------------------------------------
def test_too_much_text_gets_a_page_that_explains_not_a_bare_400(
    client, author, conference, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"),
        {"title": "A title", "abstract": "x" * (65 * 1024), "action": "save"},
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "Too much text" in html
    assert "nothing was saved" in html
    assert "Back" in html
    assert author.email in html  # the site's page, signed in, not a bare error


# --- finding 5, end to end: a whole process configured with a dead Redis ----------
DEAD_REDIS_SCRIPT = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from allauth.account.models import EmailAddress
from django.test import Client
from haet.models import User
from haet.services import set_role
from reviews.models import AssignmentRun
chair = User.objects.create_user("chair@example.org", "pass-phrase-for-tests")
EmailAddress.objects.create(user=chair, email=chair.email, verified=True, primary=True)
set_role(chair, "chair", granted=True)
client = Client()
login = client.post(
    "/accounts/login/",
    {"login": chair.email, "password": "pass-phrase-for-tests"},
)
propose = client.post(
    "/reviews/chair/assignment-runs/", {"affinity_source": "computed"}
)
run = AssignmentRun.objects.get()
page = client.get(f"/reviews/chair/assignment-runs/{run.pk}/")
print("RESULT", login.status_code, propose.status_code, run.status, page.status_code)
print("ERROR", run.error)
"""


def test_a_process_with_redis_down_signs_in_and_reports_a_stalled_proposal(tmp_path):
    """REDIS_URL set but nothing listening, as in production during an outage: the
    chair signs in (cache fallback, sessions in the database), and proposing an
    assignment, whose task cannot be published, answers with a page that says so
    instead of a 500."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "HAET_NOW"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redis-down.sqlite3'}",
        "REDIS_URL": DEAD_REDIS,
        "DEBUG": "1",  # plain HTTP for the test client: no HTTPS redirect
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "haet.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", DEAD_REDIS_SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert out.returncode == 0, out.stderr[-3000:]
    result = next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))
    assert result.split()[1:] == ["302", "302", "failed", "200"]
    assert "task queue (Redis) could not be reached" in out.stdout

"""Every permission a rules.py declares is checked somewhere: a view's
`permission_required`, a `has_perm` call, or `perms.<app>.<name>` in a template.
A permission nobody checks protects nothing and misleads the reader."""

from pathlib import Path

from django.conf import settings
from rules.permissions import permissions

from tests.test_layering import application_modules

ROOT = Path(settings.BASE_DIR)


def checking_code() -> str:
    """The application code and templates, without the rules that declare."""
    modules = [
        ROOT / path
        for path in application_modules()
        if path.name != "rules.py" and "migrations" not in path.parts
    ]
    templates = sorted((ROOT / "templates").rglob("*.html"))
    return "\n".join(path.read_text() for path in [*modules, *templates])


def test_every_declared_permission_is_checked():
    code = checking_code()

    unchecked = [
        name
        for name in sorted(permissions)
        if f'"{name}"' not in code and f"perms.{name}" not in code
    ]

    assert len(permissions) > 20  # the apps' rules are loaded
    assert unchecked == []

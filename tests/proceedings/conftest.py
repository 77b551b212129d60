"""Fixtures for the proceedings tests: the decisions tests' world (every persona,
reviews written directly, decisions via services), shared rather than copied."""

from tests.decisions.conftest import (  # noqa: F401 - fixtures shared with decisions
    _eager_celery,
    committed,
    login,
    world,
)

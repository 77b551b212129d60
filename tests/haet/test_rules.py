"""The conflict hook fails closed: no rules registered means an error."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from haet import rules as haet_rules

pytestmark = pytest.mark.django_db


def test_the_reviews_app_registers_the_conflict_rules(chair):
    assert haet_rules._conflict_ids is not None
    assert haet_rules.conflicted_submission_ids(chair) == set()


def test_without_conflict_rules_nobody_is_declared_unconflicted(chair, monkeypatch):
    monkeypatch.setattr(haet_rules, "_conflict_ids", None)

    with pytest.raises(ImproperlyConfigured, match="No conflict rules"):
        haet_rules.conflicted_submission_ids(chair)
    with pytest.raises(ImproperlyConfigured):
        haet_rules.is_unconflicted_chair(chair, 1)


def test_anonymous_visitors_have_no_conflict_set(monkeypatch):
    from django.contrib.auth.models import AnonymousUser

    monkeypatch.setattr(haet_rules, "_conflict_ids", None)

    assert haet_rules.conflicted_submission_ids(AnonymousUser()) == set()

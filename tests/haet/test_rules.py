"""haet.rules: the roles, and the conflict predicate that fails closed.

The conflict rules live in reviews; haet loads them at start-up from
settings.HAET_CONFLICT_RULES and refuses to start without them."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from haet import rules as haet_rules
from reviews.conflicts import conflicted_submission_ids as reviews_rules
from tests.factories import DeclaredConflictFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restore_rules(monkeypatch):
    """Put the loaded rules back whatever the test does to them."""
    monkeypatch.setattr(haet_rules, "_conflict_ids", haet_rules._conflict_ids)


@pytest.fixture
def conflicted_chair(conference, author):
    """A chair and two submissions: one they are declared conflicted with."""
    chair = UserFactory(email="conflicted-chair@example.org", role="chair")
    mine = SubmissionFactory(conference=conference, number=1, contact=author)
    DeclaredConflictFactory(submission=mine, value=chair.email)
    other = SubmissionFactory(conference=conference, number=2, contact=author)
    return chair, mine, other


# --- start-up ---------------------------------------------------------------------
def test_start_up_loads_the_conflict_rules_of_the_reviews_app():
    assert haet_rules._conflict_ids is reviews_rules


@pytest.mark.parametrize("path", ["", "reviews.conflicts.no_such_function"])
def test_start_up_fails_without_conflict_rules(settings, restore_rules, path):
    settings.HAET_CONFLICT_RULES = path

    with pytest.raises(ImproperlyConfigured, match="HAET_CONFLICT_RULES"):
        apps.get_app_config("haet").ready()


def test_without_conflict_rules_nobody_is_declared_unconflicted(chair, monkeypatch):
    monkeypatch.setattr(haet_rules, "_conflict_ids", None)

    with pytest.raises(ImproperlyConfigured, match="No conflict rules"):
        haet_rules.conflicted_submission_ids(chair)
    with pytest.raises(ImproperlyConfigured):
        haet_rules.is_unconflicted_chair(chair, 1)


def test_anonymous_visitors_have_no_conflict_set(monkeypatch):
    monkeypatch.setattr(haet_rules, "_conflict_ids", None)

    assert haet_rules.conflicted_submission_ids(AnonymousUser()) == set()


# --- roles ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("chair", (True, False)),
        ("reviewer", (False, True)),
        ("outsider", (False, False)),
    ],
)
def test_roles_are_group_memberships(request, persona, expected):
    user = request.getfixturevalue(persona)

    assert (haet_rules.is_chair(user), haet_rules.is_reviewer(user)) == expected


def test_anonymous_visitors_hold_no_role():
    anonymous = AnonymousUser()

    assert not haet_rules.is_chair(anonymous)
    assert not haet_rules.is_reviewer(anonymous)
    assert not haet_rules.is_signed_in(anonymous)


# --- conflicts --------------------------------------------------------------------
def test_is_conflicted_follows_the_reviews_rules(conflicted_chair):
    chair, mine, other = conflicted_chair

    assert haet_rules.is_conflicted(chair, mine)
    assert haet_rules.is_conflicted(chair, mine.pk)  # an id works as well
    assert not haet_rules.is_conflicted(chair, other)
    assert not haet_rules.is_conflicted(chair, None)


def test_an_unconflicted_chair_is_a_chair_without_a_conflict(
    conflicted_chair, reviewer
):
    chair, mine, other = conflicted_chair

    assert [
        haet_rules.is_unconflicted_chair(chair, mine),
        haet_rules.is_unconflicted_chair(chair, other),
        haet_rules.is_unconflicted_chair(reviewer, other),
        haet_rules.is_unconflicted_chair(AnonymousUser(), other),
    ] == [False, True, False, False]

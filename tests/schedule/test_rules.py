"""schedule.rules: the predicate and permissions, asked directly (object: a
Schedule)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from haet import clock
from schedule.models import Schedule
from schedule.rules import is_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(conference):
    return Schedule.objects.for_conference(conference)


@pytest.fixture
def people(author, chair, reviewer):
    return {
        "author": author,
        "chair": chair,
        "reviewer": reviewer,
        "anonymous": AnonymousUser(),
    }


def test_a_schedule_is_published_once_it_has_a_publication_time(schedule):
    assert not is_published(None, schedule)

    schedule.published_at = clock.now()

    assert is_published(None, schedule)
    assert not is_published(None, None)


@pytest.mark.parametrize(
    ("published", "allowed"),
    [(False, {"chair"}), (True, {"author", "chair", "reviewer", "anonymous"})],
)
def test_the_schedule_is_seen_by_chairs_then_everyone(
    schedule, people, published, allowed
):
    schedule.published_at = clock.now() if published else None

    granted = {
        who for who, user in people.items() if user.has_perm("schedule.view", schedule)
    }

    assert granted == allowed


def test_only_chairs_edit_the_schedule(people):
    granted = {who for who, user in people.items() if user.has_perm("schedule.edit")}

    assert granted == {"chair"}

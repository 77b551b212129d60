"""awards.rules: the predicates and permissions, asked directly (object: an award,
i.e. a haet.AwardCategory; `awards.enter` takes a Submission)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from awards.models import AwardSettings
from awards.rules import is_juror, is_leaderboard_published

pytestmark = pytest.mark.django_db


def personas(world, reviewer) -> dict:
    return {
        "author": world.author,
        "juror": world.juror,
        "chair": world.chair,
        "reviewer": reviewer,
        "anonymous": AnonymousUser(),
    }


def test_a_juror_judges_the_awards_whose_jury_lists_them(world, reviewer):
    AwardSettings.objects.filter(award=world.energy).get().jury.set([])

    assert is_juror(world.juror, world.best)
    assert not is_juror(world.juror, world.energy)
    assert not is_juror(world.chair, world.best)
    assert not is_juror(AnonymousUser(), world.best)
    assert not is_juror(world.juror, None)


def test_a_leaderboard_is_published_once_its_settings_say_so(world):
    assert not is_leaderboard_published(None, world.energy)

    AwardSettings.objects.filter(award=world.energy).update(leaderboard_published=True)
    world.energy.refresh_from_db()

    assert is_leaderboard_published(None, world.energy)
    assert not is_leaderboard_published(None, world.best)
    assert not is_leaderboard_published(None, None)


@pytest.mark.parametrize(
    ("perm", "published", "allowed"),
    [
        ("awards.judge", False, {"juror"}),
        ("awards.view_leaderboard", False, {"juror", "chair"}),
        (
            "awards.view_leaderboard",
            True,
            {"author", "juror", "chair", "reviewer", "anonymous"},
        ),
    ],
)
def test_award_permissions_per_persona(world, reviewer, perm, published, allowed):
    AwardSettings.objects.filter(award=world.energy).update(
        leaderboard_published=published
    )
    world.energy.refresh_from_db()
    people = personas(world, reviewer)

    granted = {who for who, user in people.items() if user.has_perm(perm, world.energy)}

    assert granted == allowed


def test_only_chairs_manage_awards(world, reviewer):
    people = personas(world, reviewer)

    granted = {who for who, user in people.items() if user.has_perm("awards.manage")}

    assert granted == {"chair"}


def test_the_authors_of_a_submission_may_enter_it(world, reviewer):
    people = personas(world, reviewer)

    granted = {
        who
        for who, user in people.items()
        if user.has_perm("awards.enter", world.submission)
    }

    assert granted == {"author"}

"""Issue 19: the demo at `STAGE=over` shows a complete, published workshop day
(built through the schedule services) and a home page that follows the stage."""

from io import StringIO

import pytest
from django.urls import reverse

from decisions.models import Decision, Outcome
from schedule.models import Item, PosterBoard, Schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def over(db, frozen):
    from django.core.management import call_command

    for _ in range(2):  # idempotent: a second run adds nothing
        call_command(
            "seed_haet2022",
            stage="over",
            papers=24,  # as `make run STAGE=over`
            reviewers=12,
            reviews=True,
            stdout=StringIO(),
        )
    frozen("2022-07-24T23:00:00Z")  # the demo's clock at this stage


def test_the_demo_day_is_complete_published_and_on_the_home_page(over, client):
    schedule = Schedule.objects.get()
    accepted = Decision.objects.released().exclude(submission__state="withdrawn")
    orals = set(
        accepted.filter(outcome=Outcome.ACCEPT_ORAL).values_list(
            "submission", flat=True
        )
    )
    posters = set(
        accepted.filter(outcome=Outcome.ACCEPT_POSTER).values_list(
            "submission", flat=True
        )
    )
    kinds = set(
        Item.objects.filter(session__schedule=schedule).values_list("kind", flat=True)
    )

    assert schedule.is_published
    assert kinds == set(Item.Kind.values)
    assert (
        set(Item.objects.filter(kind="oral").values_list("submission", flat=True))
        == orals
    )
    assert not Item.objects.filter(kind="oral", submission__isnull=True).exists()
    assert set(PosterBoard.objects.values_list("submission", flat=True)) == posters
    assert schedule.sessions.count() == 7
    assert client.get(reverse("schedule:timetable")).status_code == 200
    # The home page follows the stage (one test: seeding the demo takes a while).
    html = client.get(reverse("home")).content.decode()

    assert 'id="proceedings"' in html
    assert 'id="slides-and-posters"' in html
    assert 'id="cfp-archived"' in html

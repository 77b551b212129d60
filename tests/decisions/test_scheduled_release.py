"""Issue 19, scheduled release: a chair previews the release and schedules it (by
default on the notification day, 13 June 2022, at 17:00 UTC-11); the beat task
releases exactly the previewed set once at that time; a decision changed after the
preview blocks it and tells every chair; cancelling works until it starts.

Chairs act over HTTP; the beat is the real Celery task (eager), under the frozen
clock."""

from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome, ScheduledRelease
from decisions.tasks import release_due_decisions
from haet.models import User
from tests.decisions.conftest import BEFORE_RELEASE, LEAK_EMAIL, PERSONAS

pytestmark = pytest.mark.django_db

# The default: the notification day at the end of the working day, conference zone.
DEFAULT_TEXT = "13 June 2022, 5:00 pm UTC-11 (14 June 2022 04:00 UTC)"
JUST_BEFORE = "2022-06-14T03:59:59Z"
AT_THE_TIME = "2022-06-14T04:00:00Z"
LATER = "2022-06-14T04:01:00Z"
AUTHOR_MAILS = sorted(
    [
        "author@example.org",
        "cora@coauthors.example",
        LEAK_EMAIL,
        "other@elsewhere.example",
    ]
)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def decided(world, chair, frozen):
    frozen(BEFORE_RELEASE)
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    return world


def schedule(client, *, day="2022-06-13", clock="17:00"):
    """What a chair does: open the release page, post its tokens with a time."""
    page = client.get(reverse("decisions:release"))
    return client.post(
        reverse("decisions:schedule-release"),
        {"token": page.context["tokens"], "day": day, "clock": clock},
    )


@pytest.fixture
def beat(committed):
    """One run of the beat's task, its mails delivered after commit."""
    return lambda: committed(release_due_decisions.delay).get()


def test_the_release_page_offers_the_notification_day_at_five_pm(decided, login):
    page = login(decided.chair).get(reverse("decisions:release"))

    assert 'name="day" value="2022-06-13"' in page.text
    assert 'name="clock" value="17:00"' in page.text


def test_the_dashboard_shows_the_countdown_in_both_zones(decided, login):
    client = login(decided.chair)

    response = schedule(client)
    dashboard = client.get(reverse("decisions:dashboard"))

    assert response.status_code == 302
    assert DEFAULT_TEXT in texts(response)[0]
    assert DEFAULT_TEXT in dashboard.text
    assert 'data-countdown="2022-06-14T04:00:00+00:00"' in dashboard.text
    assert "2 decisions" in dashboard.text
    assert "3\xa0days, 16\xa0hours" in dashboard.text  # from 10 June 12:00 UTC


def test_the_beat_releases_the_previewed_set_once_at_the_time(
    decided, login, frozen, beat, mailoutbox
):
    schedule(login(decided.chair))

    frozen(JUST_BEFORE)
    early = beat()
    released_early = Decision.objects.released().count()
    frozen(AT_THE_TIME)
    first = beat()
    frozen(LATER)
    second = beat()

    assert (early, released_early) == (0, 0)
    assert (first, second) == (1, 0)
    assert sorted(m.to[0] for m in mailoutbox) == AUTHOR_MAILS  # once each
    assert set(Decision.objects.values_list("released_at", "released_by__email")) == {
        (Decision.objects.first().released_at, "chair@example.org")
    }
    release = ScheduledRelease.objects.get()
    assert (release.status, release.released_count, release.mail_count) == (
        "released",
        2,
        4,
    )
    dashboard = login(decided.chair).get(reverse("decisions:dashboard"))
    assert "happened: 2 decisions released" in dashboard.text


def test_a_decision_changed_after_the_preview_blocks_it_and_tells_the_chairs(
    decided, login, frozen, beat, mailoutbox
):
    schedule(login(decided.chair))
    decide(decided.other_submission, Outcome.ACCEPT_POSTER, by=decided.chair)

    frozen(AT_THE_TIME)
    beat()
    beat()

    assert not Decision.objects.released().exists()
    by_recipient = {m.to[0]: m for m in mailoutbox}
    # Every chair, once; nobody else (no author hears anything).
    assert sorted(by_recipient) == [
        "chair@example.org",
        "chair@haet.example",  # the demo chair of the seeded conference
        "dean@quixotic-institute.example",
    ]
    told = by_recipient["chair@example.org"]
    assert "did not happen" in told.subject
    assert DEFAULT_TEXT in told.body
    assert "Changed: #2." in told.body
    dashboard = login(decided.chair).get(reverse("decisions:dashboard"))
    assert "did not happen" in dashboard.text
    assert "Changed: #2." in dashboard.text
    assert ScheduledRelease.objects.get().status == "blocked"


def test_the_chairs_are_told_only_about_what_they_may_see(
    decided, login, frozen, beat, mailoutbox
):
    """#1 changes; the conflicted chair learns that the release stopped, not that
    #1 has a decision."""
    schedule(login(decided.chair))
    decide(decided.submission, Outcome.ACCEPT_POSTER, by=decided.chair)

    frozen(AT_THE_TIME)
    beat()

    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert "Changed: #1." in by_recipient["chair@example.org"].body
    conflicted = by_recipient["dean@quixotic-institute.example"]
    assert "did not happen" in conflicted.subject
    assert "#1" not in conflicted.body
    dashboard = login(decided.conflicted_chair).get(reverse("decisions:dashboard"))
    assert "did not happen" in dashboard.text
    assert "#1" not in dashboard.text.split('id="scheduled-release"')[1][:600]


def test_a_release_can_be_cancelled_until_it_starts(
    decided, login, frozen, beat, mailoutbox
):
    client = login(decided.chair)
    schedule(client)

    frozen(JUST_BEFORE)
    cancelled = client.post(reverse("decisions:cancel-release"))
    frozen(AT_THE_TIME)
    beat()

    assert texts(cancelled)[-1] == "The scheduled release is cancelled."
    assert ScheduledRelease.objects.get().status == "cancelled"
    assert not Decision.objects.released().exists()
    assert mailoutbox == []


def test_a_started_release_cannot_be_cancelled(decided, login, frozen, beat):
    client = login(decided.chair)
    schedule(client)

    frozen(AT_THE_TIME)
    beat()
    too_late = client.post(reverse("decisions:cancel-release"))

    assert texts(too_late)[-1] == (
        "No release is waiting: it has already started or was cancelled."
    )
    assert ScheduledRelease.objects.get().status == "released"


def test_a_time_in_the_past_or_a_stale_preview_is_refused(decided, login):
    client = login(decided.chair)

    past = schedule(client, day="2022-06-01")
    page = client.get(reverse("decisions:release"))
    decide(decided.submission, Outcome.REJECT, by=decided.chair)
    stale = client.post(
        reverse("decisions:schedule-release"),
        {"token": page.context["tokens"], "day": "2022-06-13", "clock": "17:00"},
    )

    assert texts(past) == ["Choose a time in the future."]
    assert "Decisions changed since your preview" in texts(stale)[0]
    assert not ScheduledRelease.objects.exists()


def test_only_one_release_waits_at_a_time(decided, login):
    client = login(decided.chair)
    schedule(client)

    again = schedule(client, clock="18:00")

    assert texts(again)[-1] == "A release is already scheduled: cancel it first."
    assert ScheduledRelease.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_chairs_schedule_and_cancel(decided, client, persona):
    user = decided.user(persona)
    if user is not None:
        client.force_login(user)
    tokens = [f"{decided.submission.pk}:accept_oral:1"]

    scheduled = client.post(
        reverse("decisions:schedule-release"),
        {"token": tokens, "day": "2022-06-13", "clock": "17:00"},
    )
    cancelled = client.post(reverse("decisions:cancel-release"))

    if persona == "anonymous":
        assert scheduled.status_code == cancelled.status_code == 302
        assert "/accounts/login/" in scheduled["Location"]
    elif persona in ("chair", "conflicted_chair"):
        assert scheduled.status_code == cancelled.status_code == 302
    else:
        assert scheduled.status_code == cancelled.status_code == 404
    if persona not in ("chair", "conflicted_chair"):
        assert not ScheduledRelease.objects.exists()


def test_a_conflicted_chair_schedules_only_what_they_may_release(
    decided, login, frozen, beat, mailoutbox
):
    """A forged token for #1 (hidden from them) is dropped at scheduling; the beat
    releases as they would by hand: #2 only."""
    client = login(decided.conflicted_chair)
    page = client.get(reverse("decisions:release"))
    forged = f"{decided.submission.pk}:accept_oral:{999}"
    client.post(
        reverse("decisions:schedule-release"),
        {
            "token": [*page.context["tokens"], forged],
            "day": "2022-06-13",
            "clock": "17:00",
        },
    )

    frozen(AT_THE_TIME)
    beat()

    assert page.context["tokens"] == [page.context["tokens"][0]]
    assert ScheduledRelease.objects.get().submission_ids == [
        decided.other_submission.pk
    ]
    assert list(
        Decision.objects.released().values_list("submission__number", flat=True)
    ) == [2]
    assert sorted(m.to[0] for m in mailoutbox) == ["other@elsewhere.example"]


def test_the_demo_seed_at_the_decision_stage_schedules_the_release(db, client, frozen):
    call_command(
        "seed_haet2022", papers=12, reviewers=6, stage="decision", stdout=StringIO()
    )
    frozen("2022-06-12T23:00:00Z")  # the demo's clock at this stage
    client.force_login(User.objects.get(email="chair@haet.example"))

    dashboard = client.get(reverse("decisions:dashboard"))

    release = ScheduledRelease.objects.get()
    assert release.status == "scheduled"
    assert len(release.tokens) == Decision.objects.count() > 0
    assert "Release scheduled" in dashboard.text
    assert DEFAULT_TEXT in dashboard.text
    assert not Decision.objects.released().exists()


def test_the_countdown_counts_only_what_the_viewing_chair_may_see(decided, login):
    schedule(login(decided.chair))  # #1 and #2

    seen_by_chair = login(decided.chair).get(reverse("decisions:dashboard"))
    seen_by_conflicted = login(decided.conflicted_chair).get(
        reverse("decisions:dashboard")
    )

    assert "2 decisions previewed" in seen_by_chair.text
    assert "1 decision previewed" in seen_by_conflicted.text

"""The camera-ready reminder (7 days and 1 day before the deadline, frozen clock),
the chairs' reminder button, and the demo seed at the decision and over stages."""

import os
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from django.core.management import call_command
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from decisions.release import preview_release, release_decisions
from haet.outbox import reminders
from proceedings.camera_ready import grant_camera_ready_extension
from proceedings.models import CameraReady
from proceedings.reminders import remind_missing_camera_ready
from tests.decisions.conftest import LEAK_EMAIL

pytestmark = pytest.mark.django_db

# The camera-ready deadline closes on 1 July 2022 at 11:00 UTC.
SEVEN_DAYS_BEFORE = "2022-06-24T11:00:00Z"
ONE_DAY_BEFORE = "2022-06-30T11:00:00Z"
AUTHORS_OF_1 = sorted(["author@example.org", "cora@coauthors.example", LEAK_EMAIL])


@pytest.fixture
def accepted(world, chair):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    return world


def send(committed):
    # Other apps' reminders (reviews, drafts) would fire on the same data.
    return committed(
        partial(reminders.send_due_reminders, only={"camera_ready_missing"})
    )


def test_camera_ready_reminder_is_registered():
    registered = reminders.REGISTRY["camera_ready_missing"]

    assert registered.reminder.offsets == (timedelta(days=-7), timedelta(days=-1))
    assert registered.reminder.deadline_kind == "camera_ready"
    assert registered.template == "camera_ready_reminder"


def test_accepted_authors_are_reminded_7_days_and_1_day_before(
    accepted, frozen, mailoutbox, committed
):
    frozen("2022-06-24T10:59:00Z")
    assert send(committed) == 0

    frozen(SEVEN_DAYS_BEFORE)
    send(committed)
    send(committed)
    first = sorted(m.to[0] for m in mailoutbox)

    frozen(ONE_DAY_BEFORE)
    send(committed)

    assert first == AUTHORS_OF_1  # authors without an account too; #2 is rejected
    assert len(mailoutbox) == 6
    assert "camera-ready" in mailoutbox[0].subject
    assert "30 June 2022" in mailoutbox[0].body
    assert reverse("decisions:camera-ready", args=[1]) in mailoutbox[0].body


def test_no_reminder_once_the_camera_ready_is_in(
    accepted, frozen, mailoutbox, committed
):
    CameraReady.objects.create(
        submission=accepted.submission,
        title="x",
        submitted_at=datetime(2022, 6, 20, tzinfo=UTC),
    )
    frozen(SEVEN_DAYS_BEFORE)

    send(committed)

    assert mailoutbox == []


def test_no_reminder_before_release(world, chair, frozen, mailoutbox, committed):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    frozen(SEVEN_DAYS_BEFORE)

    send(committed)

    assert mailoutbox == []


def test_an_extension_moves_the_reminders(
    accepted, chair, frozen, mailoutbox, committed
):
    grant_camera_ready_extension(
        accepted.submission, until=datetime(2022, 7, 5, 11, tzinfo=UTC), by=chair
    )
    frozen(SEVEN_DAYS_BEFORE)
    send(committed)
    assert mailoutbox == []

    frozen("2022-06-28T11:00:00Z")  # 7 days before the extension
    send(committed)
    assert len(mailoutbox) == 3


def test_the_chairs_reminder_button_sends_once_a_day(
    accepted, chair, frozen, mailoutbox, committed, login
):
    frozen("2022-06-20T12:00:00Z")

    first = committed(remind_missing_camera_ready, accepted.conference, by=chair)
    again = committed(remind_missing_camera_ready, accepted.conference, by=chair)
    page = login(chair).get(reverse("decisions:camera-ready-progress"))

    assert (first, again) == (3, 0)
    assert sorted(m.to[0] for m in mailoutbox) == AUTHORS_OF_1
    assert page.context["missing_count"] == 1


def test_a_conflicted_chair_does_not_remind_hidden_submissions(accepted, frozen):
    frozen("2022-06-20T12:00:00Z")

    assert (
        remind_missing_camera_ready(accepted.conference, by=accepted.conflicted_chair)
        == 0
    )


def test_seed_decides_at_decision_and_releases_at_over(db):
    devnull = open(os.devnull, "w")  # noqa: SIM115
    call_command(
        "seed_haet2022", papers=12, reviewers=6, stage="decision", stdout=devnull
    )
    assert Decision.objects.count() > 0
    assert not Decision.objects.filter(released_at__isnull=False).exists()

    call_command("seed_haet2022", papers=12, reviewers=6, stage="over", stdout=devnull)
    call_command("seed_haet2022", papers=12, reviewers=6, stage="over", stdout=devnull)

    assert not Decision.objects.filter(released_at__isnull=True).exists()
    assert CameraReady.objects.filter(current_version__isnull=False).exists()
    assert Decision.objects.filter(
        submission__contact__email="author@haet.example", outcome="accept_poster"
    ).exists()

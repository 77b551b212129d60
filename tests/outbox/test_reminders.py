"""The reminder engine, with sources registered by the tests themselves."""

from datetime import UTC, datetime, timedelta

import pytest

from haet.models import ImportantDate
from haet.outbox import reminders
from haet.outbox.models import OutboxMail, ReminderSetting
from haet.outbox.preferences import save_reminder_setting
from haet.outbox.reminders import Reminder, due_step, register_reminder
from haet.services import change_date

pytestmark = pytest.mark.django_db

DAY, HOUR, SECOND = timedelta(days=1), timedelta(hours=1), timedelta(seconds=1)
DRAFT = Reminder(
    key="test_draft",
    label="Submit your draft",
    deadline_kind=ImportantDate.Kind.SUBMISSION_DEADLINE,
    offsets=(-7 * DAY, -1 * DAY, -3 * HOUR),
)


@pytest.fixture
def registry():
    """An empty registry for the test; the apps' own sources come back afterwards."""
    saved = dict(reminders.REGISTRY)
    reminders.REGISTRY.clear()
    yield reminders.REGISTRY
    reminders.REGISTRY.clear()
    reminders.REGISTRY.update(saved)


@pytest.fixture
def pending(registry, author):
    """Authors with a draft not yet submitted: remove someone to "submit"."""
    people = {author}
    register_reminder(
        DRAFT,
        lambda conference, now: [
            (u, {"items": [{"title": "My draft"}]}) for u in people
        ],
        "reminder",
    )
    return people


@pytest.fixture
def deadline(conference) -> datetime:
    return conference.date("submission").closes_at  # 2022-05-28 11:00 UTC


def run_at(frozen, instant) -> int:
    frozen(instant)
    return reminders.send_due_reminders()


def steps() -> list[str]:
    return [
        key.rsplit(":", 1)[-1]
        for key in OutboxMail.objects.order_by("pk").values_list(
            "dedupe_key", flat=True
        )
    ]


@pytest.mark.parametrize("offset", DRAFT.offsets, ids=["7d", "1d", "3h"])
def test_each_step_fires_at_its_instant_once(frozen, pending, deadline, offset):
    at, step = deadline + offset, reminders.format_offset(offset)

    run_at(frozen, at - SECOND)
    before = steps().count(step)
    run_at(frozen, at)
    on_time = steps().count(step)
    run_at(frozen, at)
    run_at(frozen, at + 5 * 60 * SECOND)  # the next beat

    assert (before, on_time, steps().count(step)) == (0, 1, 1)
    assert OutboxMail.objects.filter(
        dedupe_key__endswith=f":{step}"
    ).get().dedupe_key == (
        f"reminder:test_draft:{next(iter(pending)).pk}:"
        f"{deadline.astimezone(UTC).isoformat()}:{step}"
    )


def test_a_whole_run_sends_each_step_once(frozen, pending, deadline):
    for hours in range(-8 * 24, 24):  # hourly beats from 8 days before to 1 day after
        run_at(frozen, deadline + hours * HOUR)

    assert steps() == ["-7d", "-1d", "-3h"]


def test_reminder_mail_names_the_deadline_and_the_conference(
    frozen, pending, deadline, author
):
    run_at(frozen, deadline - DAY)

    mail = OutboxMail.objects.get()
    assert mail.to_email == author.email
    assert mail.subject == "[HAET 2022] 1 day left: Submit your draft"
    assert "27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC)" in mail.body_text
    assert "- My draft" in mail.body_text
    assert "Hardware Aware Efficient Training" in mail.body_html


def test_an_extension_restarts_the_steps(frozen, pending, deadline, conference, chair):
    run_at(frozen, deadline - DAY)  # "1 day left" under the old deadline
    date = conference.date("submission")
    change_date(date, at=date.at + 7 * DAY, by=chair)
    new_deadline = deadline + 7 * DAY

    same_moment = run_at(frozen, deadline - DAY + 10 * 60 * SECOND)  # now -8 days
    new_week_before = run_at(frozen, new_deadline - 7 * DAY)
    new_day_before = run_at(frozen, new_deadline - DAY)

    assert (same_moment, new_week_before, new_day_before) == (0, 1, 1)
    keys = list(OutboxMail.objects.order_by("pk").values_list("dedupe_key", flat=True))
    assert [k.split(":", 3)[3] for k in keys] == [
        f"{deadline.isoformat()}:-1d",
        f"{new_deadline.isoformat()}:-7d",
        f"{new_deadline.isoformat()}:-1d",
    ]


def test_after_downtime_only_the_latest_step_is_sent(frozen, pending, deadline):
    sent = run_at(frozen, deadline - DAY + 2 * HOUR)  # the server slept 6 days

    assert sent == 1
    assert steps() == ["-1d"]


@pytest.mark.parametrize(
    "late",
    [DAY + SECOND, 3 * DAY],
    ids=["just-over-a-day-late", "days-late"],
)
def test_a_stale_step_is_skipped(frozen, pending, deadline, late):
    assert run_at(frozen, deadline - 7 * DAY + late) == 0


def test_no_before_the_deadline_step_after_the_deadline(frozen, pending, deadline):
    assert run_at(frozen, deadline + SECOND) == 0


def test_a_person_no_longer_concerned_gets_nothing(frozen, pending, deadline, author):
    run_at(frozen, deadline - 7 * DAY)
    pending.discard(author)  # submitted

    assert run_at(frozen, deadline - DAY) == 0
    assert steps() == ["-7d"]


def test_chair_turns_a_reminder_off(frozen, pending, deadline, chair):
    save_reminder_setting("test_draft", enabled=False, offsets=None, by=chair)

    assert run_at(frozen, deadline - DAY) == 0


def test_chair_changes_the_offsets(frozen, pending, deadline, chair):
    save_reminder_setting("test_draft", enabled=True, offsets=[-2 * DAY], by=chair)

    old_step = run_at(frozen, deadline - 7 * DAY)
    new_step = run_at(frozen, deadline - 2 * DAY)

    assert (old_step, new_step) == (0, 1)
    assert steps() == ["-2d"]
    assert ReminderSetting.objects.get().offsets == "-2d"


def test_unreadable_offsets_fall_back_to_the_default(frozen, pending, deadline):
    ReminderSetting.objects.create(key="test_draft", offsets="soon")

    assert run_at(frozen, deadline - DAY) == 1


def test_per_person_anchor_invitation_not_answered(frozen, registry, reviewer, author):
    invited_at = {
        reviewer: datetime(2022, 5, 1, 9, 0, tzinfo=UTC),
        author: datetime(2022, 5, 2, 9, 0, tzinfo=UTC),
    }
    register_reminder(
        Reminder("test_invite", "Answer the invitation", "", (3 * DAY, 7 * DAY)),
        lambda conference, now: [(u, {}, at) for u, at in invited_at.items()],
        "reminder",
    )

    first = run_at(frozen, datetime(2022, 5, 4, 9, 0, tzinfo=UTC))
    both = run_at(frozen, datetime(2022, 5, 5, 9, 0, tzinfo=UTC))
    week = run_at(frozen, datetime(2022, 5, 8, 9, 0, tzinfo=UTC))

    assert (first, both, week) == (1, 1, 1)
    assert steps() == ["+3d", "+3d", "+7d"]


def test_overdue_reviews_daily_for_three_days(frozen, registry, conference, reviewer):
    register_reminder(
        Reminder(
            "test_review",
            "Submit your review",
            ImportantDate.Kind.REVIEW_DEADLINE,
            (-7 * DAY, -2 * DAY, -DAY, DAY, 2 * DAY, 3 * DAY),
        ),
        lambda conference, now: [(reviewer, {})],
        "reminder",
    )
    review_deadline = conference.date("review").closes_at

    for hours in range(-8 * 24, 6 * 24, 2):
        run_at(frozen, review_deadline + hours * HOUR)

    assert steps() == ["-7d", "-2d", "-1d", "+1d", "+2d", "+3d"]
    assert (
        OutboxMail.objects.order_by("pk")
        .last()
        .subject.startswith("[HAET 2022] Overdue:")
    )


def test_chair_digest_daily_while_something_is_overdue(
    frozen, registry, conference, chair
):
    overdue = [{"title": "Review of #12 by R. Reviewer", "detail": "2 days late"}]
    register_reminder(
        Reminder(
            "test_digest",
            "Overdue reviews",
            ImportantDate.Kind.REVIEW_DEADLINE,
            (DAY,),
            every=DAY,
        ),
        reminders.chair_digest(lambda conference, now: list(overdue)),
        "chair_digest",
    )
    review_deadline = conference.date("review").closes_at

    counts = [
        run_at(frozen, review_deadline + hours * HOUR) for hours in (23, 24, 30, 48)
    ]
    overdue.clear()
    quiet = run_at(frozen, review_deadline + 72 * HOUR)

    chair_count = reminders.chairs().count()  # the seed adds its own chair
    assert (counts, quiet) == ([0, chair_count, 0, chair_count], 0)
    mail = OutboxMail.objects.filter(recipient=chair).order_by("pk").last()
    assert mail.dedupe_key.endswith(":+2d")
    assert (mail.to_email, mail.subject) == (
        chair.email,
        "[HAET 2022] Overdue reviews: 1 overdue",
    )
    assert "Review of #12 by R. Reviewer (2 days late)" in mail.body_text


A = datetime(2022, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (A - 8 * DAY, None),
        (A - 7 * DAY, -7 * DAY),
        (A - 6 * DAY - SECOND, -7 * DAY),
        (A - 6 * DAY, None),  # a day late: stale
        (A - DAY, -DAY),
        (A - SECOND, -DAY),
        (A, None),  # the deadline passed: no "before" step
        (A + DAY, DAY),
        (A + 2 * DAY, None),  # a day late, and no repeats
    ],
)
def test_due_step(now, expected):
    assert due_step(A, (-7 * DAY, -DAY, DAY), now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [(A + DAY, DAY), (A + 2 * DAY + HOUR, 2 * DAY), (A + 9 * DAY, 9 * DAY)],
)
def test_due_step_repeats_after_the_last_offset(now, expected):
    assert due_step(A, (DAY,), now, every=DAY) == expected

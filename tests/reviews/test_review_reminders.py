"""Reviewers with reviews not submitted: 7, 2 and 1 day before the review deadline,
then daily for 3 days once overdue. Chairs: a daily digest of overdue reviews, each
without the submissions that chair is conflicted with."""

from datetime import datetime, timedelta

import pytest

from haet.outbox import reminders
from haet.outbox.models import OutboxMail
from haet.outbox.preferences import PREFERENCES
from reviews.reminders import OVERDUE_DIGEST, REVIEW_REMINDER
from reviews.reviewing import save_review
from tests.reviews.conftest import (
    LEAK_AFFILIATION,
    LEAK_EMAIL,
    LEAK_NAME,
    REVIEW_CLOSES_AT,
    SECOND_NAME,
    answers,
)

pytestmark = pytest.mark.django_db

CLOSES_AT = datetime.fromisoformat(REVIEW_CLOSES_AT)
HOUR = timedelta(hours=1)


def run_at(frozen, instant) -> int:
    frozen(instant)
    return reminders.send_due_reminders()


def steps(template: str, email: str) -> list[str]:
    return [
        key.rsplit(":", 1)[1]
        for key in OutboxMail.objects.filter(template=template, to_email=email)
        .order_by("pk")
        .values_list("dedupe_key", flat=True)
    ]


def test_sources_and_preferences_are_registered():
    assert reminders.REGISTRY["review_not_submitted"].reminder == REVIEW_REMINDER
    assert reminders.REGISTRY["review_overdue_digest"].reminder == OVERDUE_DIGEST
    assert {"review_posted", "discussion_posted"} <= set(PREFERENCES)


def test_reviewer_reminded_7_2_1_days_before_then_daily_3_days_overdue(
    reviewing, frozen
):
    for hours in range(-8 * 24, 6 * 24, 2):
        run_at(frozen, CLOSES_AT + hours * HOUR)

    assert steps("review_reminder", reviewing.reviewer.email) == [
        "-7d",
        "-2d",
        "-1d",
        "+1d",
        "+2d",
        "+3d",
    ]
    # The second reviewer submitted: nothing for them.
    assert steps("review_reminder", reviewing.second.email) == []
    first, *_, last = OutboxMail.objects.filter(
        template="review_reminder", to_email=reviewing.reviewer.email
    ).order_by("pk")
    assert first.subject == "[HAET 2022] 1 week left: 1 review to submit"
    assert last.subject == "[HAET 2022] Overdue: 1 review not submitted"
    assert "#1 Sparse training of transformers on FPGAs" in first.body_text
    assert "8 June 2022" in first.body_text
    for mail in (first, last):
        text = f"{mail.subject}{mail.body_text}{mail.body_html}"
        for secret in (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION, SECOND_NAME):
            assert secret not in text


def test_a_submitted_review_stops_the_reminders(reviewing, frozen):
    run_at(frozen, CLOSES_AT - 7 * 24 * HOUR + HOUR)
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)

    run_at(frozen, CLOSES_AT - 2 * 24 * HOUR + HOUR)

    assert steps("review_reminder", reviewing.reviewer.email) == ["-7d"]


def test_a_conflicted_reviewer_is_not_reminded(reviewing, frozen):
    reviewing.conflict_later()

    run_at(frozen, CLOSES_AT - 24 * HOUR + HOUR)

    assert steps("review_reminder", reviewing.reviewer.email) == []


def test_chairs_get_a_daily_digest_without_their_conflicts(reviewing, frozen):
    counts = [run_at(frozen, CLOSES_AT + h * HOUR) for h in (23, 25, 30, 49, 73)]
    chair_steps = steps("chair_digest", reviewing.chair.email)
    reviewing.assignment.delete()  # the chairs took the late reviewer off
    quiet = run_at(frozen, CLOSES_AT + 97 * HOUR)

    assert chair_steps == ["+1d", "+2d", "+3d"]
    assert quiet == 0
    # Submission #1 is the only one overdue; the conflicted chair hears nothing.
    assert steps("chair_digest", reviewing.world.conflicted_chair.email) == []
    digest = (
        OutboxMail.objects.filter(
            template="chair_digest", to_email=reviewing.chair.email
        )
        .order_by("pk")
        .first()
    )
    assert digest.subject == "[HAET 2022] Overdue reviews: 1 overdue"
    assert (
        "#1 Sparse training of transformers on FPGAs: Rita Assigned (Reviewer 1)"
        in (digest.body_text)
    )
    assert "not started, 1 day late" in digest.body_text
    assert sum(counts) >= 3

"""save_review, post_to_discussion and their mails; the review deadline."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from haet.models import AwardCategory
from haet.outbox.models import OutboxMail
from haet.outbox.preferences import set_mail_preferences
from reviews.models import DiscussionPost, Review, ReviewNomination, ReviewSettings
from reviews.reviewing import (
    ReviewDeadlinePassed,
    post_to_discussion,
    review_closes_at,
    save_review,
)
from tests.reviews.conftest import (
    LEAK_AFFILIATION,
    LEAK_EMAIL,
    LEAK_NAME,
    REVIEW_CLOSES_AT,
    SECOND_EMAIL,
    SECOND_NAME,
    answers,
)

pytestmark = pytest.mark.django_db


def mails_to(user) -> list[OutboxMail]:
    return list(OutboxMail.objects.filter(to_email=user.email).order_by("pk"))


def test_a_draft_may_be_partial(reviewing):
    review = save_review(
        reviewing.assignment, {"summary": "Started"}, by=reviewing.reviewer
    )

    assert (review.state, review.score, review.answers["summary"]) == (
        "draft",
        None,
        "Started",
    )


def test_submitting_needs_every_required_answer(reviewing):
    with pytest.raises(ValidationError) as caught:
        save_review(
            reviewing.assignment,
            answers(score=None, weaknesses=""),
            by=reviewing.reviewer,
            submit=True,
        )

    assert sorted(caught.value.message_dict) == ["score", "weaknesses"]
    assert not Review.objects.filter(assignment=reviewing.assignment).exists()


def test_submit_copies_score_and_confidence_and_stays_submitted(reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)

    review = save_review(
        reviewing.assignment, answers(score=3), by=reviewing.reviewer, submit=False
    )

    assert (review.state, review.score, review.confidence) == ("submitted", 3, 4)
    with pytest.raises(ValidationError):  # a submitted review stays complete
        save_review(reviewing.assignment, answers(summary=""), by=reviewing.reviewer)


def test_an_answer_outside_the_choices_is_refused(reviewing):
    with pytest.raises(ValidationError) as caught:
        save_review(reviewing.assignment, answers(score=7), by=reviewing.reviewer)

    assert list(caught.value.message_dict) == ["score"]


def test_nominations_follow_the_answer(reviewing):
    best, energy, fastest = AwardCategory.objects.order_by("order", "pk")[:3]

    save_review(
        reviewing.assignment,
        answers(nominations=[best.pk, fastest.pk]),
        by=reviewing.reviewer,
        submit=True,
    )
    first = set(ReviewNomination.objects.values_list("award__name", flat=True))
    save_review(
        reviewing.assignment, answers(nominations=[energy.pk]), by=reviewing.reviewer
    )

    assert first == {best.name, fastest.name}
    assert list(ReviewNomination.objects.values_list("award", flat=True)) == [energy.pk]


def test_nominating_for_an_unknown_award_is_refused(reviewing):
    with pytest.raises(ValidationError):
        save_review(
            reviewing.assignment, answers(nominations=[999_999]), by=reviewing.reviewer
        )


def test_only_the_assigned_reviewer_writes_the_review(reviewing):
    with pytest.raises(PermissionDenied):
        save_review(reviewing.assignment, answers(), by=reviewing.second)


def test_a_conflict_found_later_stops_the_review(reviewing):
    save_review(reviewing.assignment, {"summary": "Draft"}, by=reviewing.reviewer)
    reviewing.conflict_later()

    with pytest.raises(PermissionDenied):
        save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)

    assert Review.objects.get(assignment=reviewing.assignment).state == "draft"


# --- the deadline ---------------------------------------------------------------------
CLOSES_AT = datetime.fromisoformat(REVIEW_CLOSES_AT)


def test_the_deadline_is_the_review_dates_closes_at(reviewing, conference):
    assert review_closes_at(reviewing.assignment, conference=conference) == CLOSES_AT


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        (CLOSES_AT - timedelta(seconds=1), True),  # 23:59:59 on 8 June, UTC-11
        (CLOSES_AT, False),
        (CLOSES_AT + timedelta(days=1), False),
    ],
)
def test_deadline_boundary(reviewing, frozen, instant, is_open):
    frozen(instant)

    if is_open:
        review = save_review(
            reviewing.assignment, answers(), by=reviewing.reviewer, submit=True
        )
        assert review.is_submitted
    else:
        with pytest.raises(ReviewDeadlinePassed) as caught:
            save_review(
                reviewing.assignment, answers(), by=reviewing.reviewer, submit=True
            )
        assert caught.value.messages == [
            "The review deadline has passed: reviews could be changed until "
            "8 June 2022, 11:59 pm UTC-11 (9 June 2022 10:59 UTC). Nothing was changed."
        ]
        assert not Review.objects.filter(assignment=reviewing.assignment).exists()


def test_a_later_due_date_on_the_assignment_extends_its_window(
    reviewing, frozen, conference
):
    reviewing.assignment.due_at = datetime(2022, 6, 12, 23, 59, tzinfo=UTC)
    reviewing.assignment.save()
    frozen(CLOSES_AT + timedelta(days=2))

    review = save_review(
        reviewing.assignment, answers(), by=reviewing.reviewer, submit=True
    )

    assert review.is_submitted
    assert review_closes_at(reviewing.assignment, conference=conference) == (
        datetime(2022, 6, 13, 0, 0, tzinfo=UTC)
    )


# --- mails ---------------------------------------------------------------------------
def test_a_submitted_review_notifies_the_others_who_may_read_it(reviewing):
    # The second reviewer submitted in the fixture, before `reviewer` had: no mail.
    assert mails_to(reviewing.reviewer) == []

    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    save_review(reviewing.assignment, answers(score=3), by=reviewing.reviewer)

    [mail] = mails_to(reviewing.second)
    assert mail.subject == "[HAET 2022] #1: Reviewer 1 submitted a review"
    assert mail.template == "review_posted"
    assert mail.is_essential is False
    assert "/reviews/1/#reviews" in mail.body_text


def test_a_post_notifies_the_other_reviewers_who_read_the_discussion(reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    OutboxMail.objects.all().delete()

    post_to_discussion(reviewing.submission, "Why -1?", by=reviewing.reviewer)
    post_to_discussion(
        reviewing.submission, "Chairs: please decide.", by=reviewing.chair
    )

    assert [m.subject for m in mails_to(reviewing.second)] == [
        "[HAET 2022] #1: Reviewer 1 posted in the discussion",
        "[HAET 2022] #1: Chair posted in the discussion",
    ]
    assert [m.subject for m in mails_to(reviewing.reviewer)] == [
        "[HAET 2022] #1: Chair posted in the discussion"
    ]


def test_a_reviewer_who_turned_the_mails_off_gets_none(reviewing):
    set_mail_preferences(reviewing.second, {"review_posted": False})

    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)

    assert mails_to(reviewing.second) == []


def test_a_conflicted_reviewer_gets_no_mail(reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    reviewing.conflict_later()
    OutboxMail.objects.all().delete()

    post_to_discussion(reviewing.submission, "Hello", by=reviewing.second)

    assert mails_to(reviewing.reviewer) == []


def test_mails_to_reviewers_name_neither_authors_nor_reviewers(reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    post_to_discussion(reviewing.submission, "A thought", by=reviewing.second)
    post_to_discussion(reviewing.submission, "Chair's view", by=reviewing.chair)

    mails = mails_to(reviewing.reviewer) + mails_to(reviewing.second)

    assert len(mails) == 4
    secrets = [
        LEAK_NAME,
        LEAK_EMAIL,
        LEAK_AFFILIATION,
        reviewing.world.author.name,
        reviewing.world.author.email,
        SECOND_NAME,
        SECOND_EMAIL,
        reviewing.reviewer.name,
        reviewing.chair.name,
    ]
    for mail in mails:
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        assert [s for s in secrets if s.lower() in text.lower()] == []


# --- the discussion ------------------------------------------------------------------
def test_before_their_own_review_a_reviewer_cannot_post(reviewing):
    with pytest.raises(PermissionDenied):
        post_to_discussion(reviewing.submission, "Hi", by=reviewing.reviewer)

    assert not DiscussionPost.objects.exists()


def test_a_closed_discussion_refuses_reviewers_but_not_chairs(reviewing):
    ReviewSettings.objects.update(is_discussion_open=False)

    with pytest.raises(PermissionDenied):
        post_to_discussion(reviewing.submission, "Hi", by=reviewing.second)
    post_to_discussion(reviewing.submission, "Chair here", by=reviewing.chair)

    assert DiscussionPost.objects.count() == 1


def test_a_conflicted_chair_cannot_post(reviewing):
    with pytest.raises(PermissionDenied):
        post_to_discussion(
            reviewing.submission, "Hi", by=reviewing.world.conflicted_chair
        )


def test_an_empty_post_is_refused(reviewing):
    with pytest.raises(ValidationError):
        post_to_discussion(reviewing.submission, "   ", by=reviewing.chair)


def test_a_post_is_dated_by_the_conference_clock(reviewing, settings, client):
    """A demo's HAET_NOW moves the clock: posts show the demo's time, like every
    other event, not the machine's."""
    settings.HAET_NOW = "2022-06-07T09:30:00Z"
    demo_now = datetime(2022, 6, 7, 9, 30, tzinfo=UTC)

    post = post_to_discussion(reviewing.submission, "Thoughts?", by=reviewing.chair)

    assert abs(post.created_at - demo_now) < timedelta(seconds=5)
    post.refresh_from_db()
    assert abs(post.created_at - demo_now) < timedelta(seconds=5)
    client.force_login(reviewing.chair)
    page = client.get(reverse("reviews:chair-submission", args=[1])).text
    assert '<time datetime="2022-06-07T09:30:00Z"' in page


def test_an_assignment_run_is_dated_by_the_conference_clock(chair, settings):
    from reviews.assignment_runs import propose_assignment

    settings.HAET_NOW = "2022-06-01T08:00:00Z"

    run = propose_assignment(by=chair)

    assert abs(run.created_at - datetime(2022, 6, 1, 8, tzinfo=UTC)) < timedelta(
        seconds=5
    )

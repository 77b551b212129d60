"""The area chair of a submission is mailed when someone else posts in its
discussion: the reviewers' "discussion_posted" mail, under the same preference,
once per post, never to a conflicted area chair, and naming the poster as their
page does (a pseudonym, never a reviewer's name)."""

import pytest
from django.urls import reverse

from haet.outbox.models import OutboxMail
from haet.outbox.preferences import DISCUSSION_POSTED, set_mail_preferences
from reviews.discussion_mails import notify_area_chair
from reviews.models import AreaChairAssignment, DiscussionPost
from reviews.reviewing import post_to_discussion
from submissions.models import Submission
from tests.reviews.conftest import SECOND_NAME
from tests.reviews.test_area_chair_discussion import AreaChairs
from tests.reviews.test_leaks import found

pytestmark = pytest.mark.django_db

BODY = "What do you make of the energy numbers?"


@pytest.fixture
def acs(reviewing):
    return AreaChairs(reviewing)


def fresh(submission) -> Submission:
    return Submission.objects.get(pk=submission.pk)


def mails_to(user):
    return OutboxMail.objects.filter(template=DISCUSSION_POSTED, to_email=user.email)


def test_a_reviewer_post_mails_the_area_chair_once(reviewing, acs):
    submission = fresh(reviewing.submission)

    post = post_to_discussion(submission, BODY, by=reviewing.second)
    again = notify_area_chair(submission, post=post, by_label="Reviewer 2")

    assert again is False  # the dedupe key: once per post
    [mail] = mails_to(acs.area_chair)
    text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
    pseudonym = reviewing.second_assignment.pseudonym
    assert f"{pseudonym} posted" in text
    assert reverse("reviews:area-chair-submission", args=[1]) + "#discussion" in text
    assert SECOND_NAME not in text
    assert reviewing.second.email not in text
    assert found(text) == []
    assert not mails_to(acs.other_area_chair).exists()


def test_the_area_chairs_own_post_does_not_mail_them(reviewing, acs):
    post_to_discussion(fresh(reviewing.submission), BODY, by=acs.area_chair)

    assert DiscussionPost.objects.filter(author=acs.area_chair).exists()
    assert not mails_to(acs.area_chair).exists()
    assert mails_to(reviewing.second).exists()  # the reviewers still hear of it


def test_a_conflicted_area_chair_gets_nothing(reviewing, acs):
    # Assigned before the conflict was known (no service would assign it now).
    AreaChairAssignment.objects.filter(submission=reviewing.submission).update(
        area_chair=acs.conflicted_area_chair
    )

    post_to_discussion(fresh(reviewing.submission), BODY, by=reviewing.second)

    assert not mails_to(acs.conflicted_area_chair).exists()
    assert not mails_to(acs.area_chair).exists()


def test_the_preference_off_means_no_mail(reviewing, acs):
    set_mail_preferences(acs.area_chair, {DISCUSSION_POSTED: False})

    post_to_discussion(fresh(reviewing.submission), BODY, by=reviewing.second)

    assert not mails_to(acs.area_chair).exists()
    assert mails_to(reviewing.reviewer).exists()


def test_a_chair_post_is_signed_chair(reviewing, acs):
    post_to_discussion(fresh(reviewing.submission), BODY, by=reviewing.chair)

    [mail] = mails_to(acs.area_chair)
    assert "Chair posted" in mail.body_text
    assert reviewing.chair.email not in mail.body_text

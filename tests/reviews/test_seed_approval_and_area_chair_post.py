"""Issue 16 in the demo seed: at the review stage a delegation awaits the chairs'
approval (the settings ask for it; the unconflicted chairs have the request in the
outbox, the proposed person nothing); from the review stage on, a demo area chair
has posted in a discussion, which its reviewers read signed "Area chair"."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from haet.clock import parse_instant
from haet.outbox.models import OutboxMail
from haet.seed import STAGE_NOW
from reviews.area_chair_seed import AREA_CHAIR_POST, AREA_CHAIRS
from reviews.conflicts import is_conflicted
from reviews.delegation_mails import unconflicted_chairs
from reviews.models import Delegation, DiscussionPost, Review, ReviewSettings
from reviews.seed_delegation import AWAITING_EMAIL, AWAITING_NAME
from submissions.models import Submission
from tests.reviews.test_leaks import found

pytestmark = pytest.mark.django_db


def seed(stage: str) -> str:
    out = StringIO()
    call_command(
        "seed_haet2022", stage=stage, papers=6, reviewers=12, reviews=True, stdout=out
    )
    return out.getvalue()


def the_post() -> DiscussionPost:
    return DiscussionPost.objects.select_related(
        "author", "submission__area_chair_assignment"
    ).get(author__email__in=[email for email, _, _ in AREA_CHAIRS])


def test_review_stage_has_a_delegation_awaiting_the_chairs():
    output = seed("review")

    awaiting = Delegation.objects.select_related(
        "assignment__submission", "assignment__reviewer"
    ).get(status=Delegation.Status.AWAITING_APPROVAL)
    submission = awaiting.assignment.submission
    assert (awaiting.name, awaiting.email) == (AWAITING_NAME, AWAITING_EMAIL)
    assert awaiting.delegate is None
    assert awaiting.decided_by is None
    assert awaiting.created_at.year == 2022  # the stage's clock
    assert ReviewSettings.objects.get().delegation_needs_approval
    # A review still to write, and not the accepted demo delegation's.
    assert not Review.objects.submitted().filter(assignment=awaiting.assignment)
    assert Delegation.objects.live().filter(assignment=awaiting.assignment).count() == 1
    # Every unconflicted chair is asked; nothing reaches the proposed person.
    asked = OutboxMail.objects.filter(template="delegation_approval_request")
    chairs = unconflicted_chairs(submission.pk)
    assert chairs
    assert sorted(m.to_email for m in asked) == sorted(c.email for c in chairs)
    assert not OutboxMail.objects.filter(to_email=AWAITING_EMAIL).exists()
    for mail in asked:
        assert AWAITING_NAME in mail.body_text
        assert reverse("reviews:chair-delegations") in mail.body_text
    assert "awaiting approval" in output

    # The chairs' page lists it with the approval form.
    client = Client()
    client.force_login(chairs[0])
    page = client.get(reverse("reviews:chair-delegations")).text
    assert AWAITING_NAME in page
    assert f'id="id_reason_{awaiting.pk}"' in page

    # Idempotent.
    seed("review")
    assert Delegation.objects.filter(email=AWAITING_EMAIL).count() == 1
    assert OutboxMail.objects.filter(
        template="delegation_approval_request"
    ).count() == len(chairs)


@pytest.mark.parametrize("stage", ["review", "decision"])
def test_an_area_chair_has_posted_and_reviewers_read_area_chair(stage):
    output = seed(stage)

    post = the_post()
    submission = post.submission
    assert (post.body, post.author) == (
        AREA_CHAIR_POST,
        submission.area_chair_assignment.area_chair,
    )
    assert post.created_at == parse_instant(STAGE_NOW["review"])
    assert not is_conflicted(post.author, submission)
    assert f"posted in #{submission.number}'s discussion" in output
    # A reviewer who submitted their review reads it signed "Area chair".
    assignment = (
        submission.assignments.filter(review__state="submitted")
        .select_related("reviewer")
        .order_by("pk")
        .first()
    )
    assert assignment is not None
    client = Client()
    client.force_login(assignment.reviewer)
    page = client.get(reverse("reviews:submission", args=[submission.number])).text
    assert "which experiment would change your mind?" in page
    assert "<strong>Area chair</strong>" in page
    assert post.author.name not in page
    assert post.author.email not in page
    assert found(page) == []

    seed(stage)  # idempotent
    assert DiscussionPost.objects.filter(author=post.author).count() == 1


def test_cfp_stage_has_neither():
    seed("cfp")

    assert not Delegation.objects.exists()
    assert not DiscussionPost.objects.exists()


@pytest.mark.parametrize("papers", [6, 24])
def test_at_the_decision_stage_the_demo_reviewer_reads_the_post(papers):
    call_command(
        "seed_haet2022",
        stage="decision",
        papers=papers,
        reviewers=12,
        reviews=True,
        stdout=StringIO(),
    )

    post = the_post()
    demo_reviewed = Submission.objects.filter(
        assignments__reviewer__email="reviewer@haet.example",
        assignments__review__state="submitted",
        area_chair_assignment__isnull=False,
    ).exclude(state="withdrawn")
    if papers == 24:  # `make run`'s demo: the demo reviewer has some
        assert demo_reviewed.exists()
    if demo_reviewed.exists():
        assert post.submission in demo_reviewed
    assert not Delegation.objects.filter(email=AWAITING_EMAIL).exists()

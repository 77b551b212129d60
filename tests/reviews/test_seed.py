import io
from collections import Counter

import pytest
from django.core.management import call_command

from reviews.models import (
    Assignment,
    AssignmentRun,
    Bid,
    Invitation,
    ReviewerProfile,
)
from submissions.models import Submission

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_haet2022", stdout=io.StringIO(), **options)


def test_seed_review_stage_creates_reviewers_bids_and_assignments(mailoutbox):
    seed(papers=12, reviewers=8, stage="review")

    assert ReviewerProfile.objects.count() == 9  # 8 plus the demo reviewer
    assert Invitation.objects.filter(status=Invitation.Status.ACCEPTED).count() == 9
    assert Bid.objects.exists()
    run = AssignmentRun.objects.get()
    missing = {int(pk) for pk in run.result["unfilled"]}
    counts = Counter(Assignment.objects.values_list("submission_id", flat=True))
    assert run.status == AssignmentRun.Status.DEPLOYED
    assert {pk for pk, count in counts.items() if count == 3} | missing == set(
        Submission.objects.submitted().values_list("pk", flat=True)
    )
    assert mailoutbox == []


def test_seed_is_idempotent():
    seed(papers=6, reviewers=5, stage="review")
    counts = (Assignment.objects.count(), Bid.objects.count())

    seed(papers=6, reviewers=5, stage="review")

    assert (Assignment.objects.count(), Bid.objects.count()) == counts
    assert ReviewerProfile.objects.count() == 6


def test_seed_cfp_stage_assigns_nothing():
    seed(papers=6, reviewers=4, stage="cfp")

    assert ReviewerProfile.objects.count() == 5
    assert not Assignment.objects.exists()

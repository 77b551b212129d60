"""The demo seed: an area chair with submissions from the review stage on, and
meta-reviews (the demo author's among them, released at "over") later."""

import os

import pytest
from django.core.management import call_command

from decisions.models import MetaReview, MetaReviewSettings
from haet.models import User
from haet.rules import is_area_chair
from haet.seed import STAGE_NOW
from reviews.models import AreaChairAssignment, AreaChairSettings
from submissions.models import Submission

pytestmark = pytest.mark.django_db


def seed(stage: str) -> None:
    call_command(
        "seed_haet2022",
        papers=6,
        reviewers=5,
        stage=stage,
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )


def test_the_review_stage_has_an_area_chair_with_submissions(frozen):
    frozen(STAGE_NOW["review"])
    seed("review")

    area_chair = User.objects.get(email="area-chair@haet.example")
    assert is_area_chair(area_chair)
    assert AreaChairSettings.objects.get().is_enabled
    assigned = AreaChairAssignment.objects.filter(area_chair=area_chair).count()
    live = Submission.objects.filter(state="submitted").count()
    assert 0 < assigned <= 12
    assert AreaChairAssignment.objects.count() == live
    assert not MetaReview.objects.exists()


def test_the_over_stage_has_meta_reviews_and_is_idempotent(frozen):
    frozen(STAGE_NOW["over"])
    seed("over")
    count = MetaReview.objects.count()
    seed("over")

    author = User.objects.get(email="author@haet.example")
    assert MetaReview.objects.count() == count > 0
    assert MetaReview.objects.filter(
        submission__contact=author, submission__decision__released_at__isnull=False
    ).exists()
    assert MetaReviewSettings.objects.get().is_required

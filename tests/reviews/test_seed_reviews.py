"""`seed_haet2022 --reviews` writes demo reviews through the reviewing service."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Assignment, Review

pytestmark = pytest.mark.django_db


def seed(stage: str, *, reviews: bool = True) -> str:
    out = io.StringIO()
    args = ["--stage", stage, "--papers", "6", "--reviewers", "4"]
    call_command(
        "seed_haet2022", *args, *(["--reviews"] if reviews else []), stdout=out
    )
    return out.getvalue()


def test_decision_stage_has_a_submitted_review_on_every_assignment(settings):
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"

    output = seed("decision")

    assignments = Assignment.objects.count()
    assert assignments > 0
    assert Review.objects.submitted().count() == assignments
    assert set(Review.objects.values_list("score", flat=True)) <= set(range(-3, 4))
    assert set(Review.objects.values_list("confidence", flat=True)) <= set(range(1, 6))
    # One of them is the demo's emergency reviewer's (reviews.seed_emergency).
    assert f"Demo reviews: {assignments - 1} written." in output
    # Idempotent: a second run writes nothing more.
    assert "Demo reviews: 0 written." in seed("decision")
    assert Review.objects.count() == assignments


def test_no_reviews_without_the_flag(settings):
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"

    seed("decision", reviews=False)

    assert Assignment.objects.exists()
    assert not Review.objects.exists()

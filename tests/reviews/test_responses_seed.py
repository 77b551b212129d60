"""The demo seed shows the author response at the decision stage only (HAET 2022
had none): a window, a response, a review updated after it, mails to reviewers."""

import io

import pytest
from django.core.management import call_command

from haet.outbox.models import OutboxMail
from haet.seed import STAGE_NOW
from reviews.models import (
    AuthorResponse,
    ListingConsent,
    Recognition,
    ResponseWindow,
    ReviewAfterResponse,
    ReviewRating,
)

pytestmark = pytest.mark.django_db


def seed(stage):
    call_command(
        "seed_haet2022",
        papers=6,
        reviewers=5,
        stage=stage,
        reviews=True,
        stdout=io.StringIO(),
    )


def test_decision_stage_shows_a_response(frozen):
    frozen(STAGE_NOW["decision"])

    seed("decision")

    window = ResponseWindow.objects.get()
    response = AuthorResponse.objects.get()
    assert window.is_enabled
    assert response.is_submitted
    assert response.submission.contact.email == "author@haet.example"
    assert ReviewAfterResponse.objects.count() == 1
    assert OutboxMail.objects.filter(template="author_response").exists()
    assert ReviewRating.objects.filter(is_helpful=True).exists()
    assert ListingConsent.objects.get().user.email == "reviewer@haet.example"
    assert not Recognition.objects.filter(is_published=True).exists()


@pytest.mark.parametrize("stage", ["review", "over"])
def test_other_stages_have_no_response(frozen, stage):
    frozen(STAGE_NOW[stage])

    seed(stage)

    assert not ResponseWindow.objects.filter(is_enabled=True).exists()
    assert not AuthorResponse.objects.exists()

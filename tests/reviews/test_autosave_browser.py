"""Review drafts autosave in Chromium (static/haet/autosave.js): type, wait for
"Saved at hh:mm", reload: the text is still there, saved as a draft."""

import re

import pytest

from reviews.models import Review

# The signed-in browser pages and the reviewing world of the response journey.
from tests.reviews.test_responses_browser import (  # noqa: F401 - fixtures
    sign_in,
    world_in_review,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_draft_autosaves(world_in_review, sign_in):  # noqa: F811
    reviewing = world_in_review
    reviewer = sign_in(reviewing.reviewer)
    reviewer.goto("/reviews/1/")

    reviewer.fill("textarea[name=q_summary]", "Typed, never saved by hand.")
    status = reviewer.locator("[data-autosave-status]")
    status.filter(has_text=re.compile(r"Saved at \d\d:\d\d")).wait_for(timeout=30_000)
    reviewer.reload()

    assert (
        reviewer.locator("textarea[name=q_summary]").input_value()
        == "Typed, never saved by hand."
    )
    review = Review.objects.get(assignment=reviewing.assignment)
    assert (review.state, review.answers["summary"]) == (
        "draft",
        "Typed, never saved by hand.",
    )

"""The decision dashboard fits a 1366 px laptop (issue 14 item 14/2): nothing wider
than the window; on a phone its table scrolls inside its own box, and says so."""

import re

import pytest

from reviews.assigning import assign_reviewer
from tests.conftest import PASSWORD
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed(conference, chair, author):
    reviewer = UserFactory(
        email="rev@lab.example.net", name="Rita Reviewer", role="reviewer"
    )
    for number in range(1, 6):
        submission = SubmissionFactory(
            conference=conference,
            number=number,
            contact=author,
            title=f"Energy-efficient hardware-aware training, part {number}",
        )
        assignment, _ = assign_reviewer(submission, reviewer, by=chair, notify=False)
        ReviewFactory(assignment=assignment, score=number - 3, comments="Fine.")


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def overflow(page) -> int:
    """How far the page is wider than the window (0: it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_dashboard_fits_1366(page, chair, reviewed, artifacts):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, chair.email)
    page.goto("/decisions/")
    page.screenshot(path=artifacts / "decisions-1366.png", full_page=True)

    assert overflow(page) <= 0
    box = page.locator(".table-wrap", has=page.locator("#decision-table"))
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")  # all columns shown
    assert not box.locator(".table-scroll-hint").is_visible()  # so no hint
    # The filters take two rows, not one per long topic name.
    bottoms = page.locator("form.filters .field").evaluate_all(
        "fields => fields.map(f => Math.round(f.getBoundingClientRect().bottom))"
    )
    assert len(set(bottoms)) <= 2, bottoms


def test_on_a_phone_the_table_scrolls_in_its_box_and_says_so(
    page, chair, reviewed, artifacts
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, chair.email)
    page.goto("/decisions/")
    box = page.locator(".table-wrap", has=page.locator("#decision-table"))

    assert overflow(page) <= 0
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    hint = box.locator(".table-scroll-hint")
    assert hint.is_visible()
    assert "scroll" in hint.inner_text().lower()
    page.screenshot(path=artifacts / "decisions-390.png", full_page=True)

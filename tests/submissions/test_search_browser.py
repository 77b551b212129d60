"""The chair's search journey in Chromium: make tags and an automatic one from a
saved search, search with the language, tag what was found, mistype a query; the
reviewer then sees only the tag meant for reviewers."""

import re

import pytest

from reviews.assigning import assign_reviewer
from tests.a11y import assert_accessible
from tests.conftest import PASSWORD
from tests.factories import ReviewerFactory, ReviewFactory, SubmissionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))


def test_chair_searches_and_tags(
    page, browser, live_server, conference, chair, artifacts
):
    reviewer = ReviewerFactory(email="rita@rev.example.net")
    sparse = SubmissionFactory(title="Sparse training on GPUs")
    SubmissionFactory(title="Sparse inference on FPGAs")
    SubmissionFactory(title="Quantised adapters")
    assign_reviewer(sparse, reviewer, by=chair, notify=False)
    for score in (2, 3):
        assignment, _ = assign_reviewer(
            sparse, ReviewerFactory(), by=chair, notify=False
        )
        ReviewFactory(assignment=assignment, score=score)

    sign_in(page, chair)
    page.goto("/submissions/chair/tags/")
    page.fill("#id_tag-name", "needs-4th-review")
    page.select_option("#id_tag-colour", "green")
    page.select_option("#id_tag-visibility", "reviewers")
    page.get_by_role("button", name="Create tag").click()
    page.get_by_text("Tag #needs-4th-review created.").wait_for()
    page.fill("#id_tag-name", "strong")
    page.select_option("#id_tag-colour", "purple")
    page.select_option("#id_tag-visibility", "chairs")
    page.get_by_role("button", name="Create tag").click()
    page.get_by_text("Tag #strong created.").wait_for()
    page.fill("#id_search-name", "Strong ones")
    page.fill("#id_search-query", "score:>=2")
    page.select_option("#id_search-auto_tag", label="#strong")
    page.get_by_role("button", name="Save search").click()
    page.get_by_text("Search “Strong ones” saved.").wait_for()
    assert_accessible(page, "tags page ")

    page.goto("/submissions/chair/")
    search = page.get_by_role("searchbox")
    search.fill("sparse -fpgas")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=sparse"))
    rows = page.locator("table.submissions tbody tr")
    assert rows.count() == 1
    assert "#strong" in rows.first.inner_text()  # the automatic tag
    page.select_option("#id_bulk_tag", label="#needs-4th-review")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Tagged 1 submission #needs-4th-review.").wait_for()
    assert "#needs-4th-review" in page.locator("table.submissions tbody").inner_text()
    page.locator("details.search-help summary").click()
    assert_accessible(page, "searched list ")

    search = page.get_by_role("searchbox")
    search.fill("sparse OR (score:>1")
    search.press("Enter")
    error = page.get_by_role("alert")
    assert "never closed" in error.inner_text()
    assert page.locator(".search-error mark").inner_text() == "("
    assert_accessible(page, "list with a search error ")
    page.screenshot(path=str(artifacts / "search-error.png"), full_page=True)

    page.get_by_role("link", name="Strong ones").click()
    assert page.locator("table.submissions tbody tr").count() == 1

    context = browser.new_context(base_url=live_server.url)
    other = context.new_page()
    sign_in(other, reviewer)
    other.goto("/reviews/")
    row = other.locator("table.assignments tbody tr").first
    assert "#needs-4th-review" in row.inner_text()
    assert "#strong" not in other.content()
    box = other.get_by_label("Search your assignments (words, #tag, topic:, status:)")
    box.fill("author:rita")
    box.press("Enter")
    assert "not available to reviewers" in other.get_by_role("alert").inner_text()
    assert_accessible(other, "reviewer's dashboard ")
    box = other.get_by_label("Search your assignments (words, #tag, topic:, status:)")
    box.fill("#needs-4th-review gpus")
    box.press("Enter")
    assert other.locator("table.assignments tbody tr").count() == 1
    context.close()

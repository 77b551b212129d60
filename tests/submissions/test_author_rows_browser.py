"""The submission form in Chromium (issue #14 item 12): add, remove and reorder
author lines with JavaScript and without it, and the error summary's links focus
their field."""

import re

import pytest

from submissions.models import Submission
from tests.conftest import PASSWORD
from tests.submissions.conftest import BEFORE_DEADLINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_page(browser, live_server, settings):
    """`new_page(javascript=...)`: a signed-out page on the live server."""
    settings.HAET_NOW = BEFORE_DEADLINE
    contexts = []

    def make(*, javascript: bool):
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))


def fill_line(page, index: int, name: str, email: str):
    page.fill(f"input[name=authors-{index}-name]", name)
    page.fill(f"input[name=authors-{index}-email]", email)


def emails(page) -> list[str]:
    return [
        value
        for value in page.locator("tr.author-row input[name$='-email']").evaluate_all(
            "inputs => inputs.map(i => i.value)"
        )
        if value
    ]


def fill_the_rest(page):
    page.fill("input[name=title]", "Sparse Training on a Budget")
    page.locator("input[name=topics]").nth(0).check()
    page.check("input[name=include_in_proceedings][value=no]")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_add_remove_and_reorder_author_lines(
    new_page, conference, author, javascript, artifacts
):
    page = new_page(javascript=javascript)
    log_in(page, author.email)
    page.goto("/submissions/new/")
    rows = page.locator("tr.author-row")
    start = rows.count()

    page.get_by_role("button", name="Add an author").click()
    assert rows.count() == start + 1
    fill_line(page, 1, "Bo Second", "bo@example.org")
    fill_line(page, 2, "Cy Third", "cy@example.org")
    fill_line(page, start, "Di Fourth", "di@example.org")
    assert emails(page) == [
        author.email,
        "bo@example.org",
        "cy@example.org",
        "di@example.org",
    ]

    page.get_by_role("button", name="Remove author line 2").click()  # Bo
    page.get_by_role("button", name="Move author line 3 up").click()  # Di above Cy
    page.get_by_role("button", name="Move author line 1 down").click()  # me below Di
    assert emails(page) == ["di@example.org", author.email, "cy@example.org"]
    assert "Sparse" not in page.input_value("input[name=title]")

    fill_the_rest(page)
    page.screenshot(
        path=str(artifacts / f"submissions-author-lines-{page_kind(javascript)}.png"),
        full_page=True,
    )
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/submissions/1/$"))
    assert [a.email for a in Submission.objects.get().authors.all()] == [
        "di@example.org",
        author.email,
        "cy@example.org",
    ]


def page_kind(javascript: bool) -> str:
    return "js" if javascript else "no-js"


def test_error_summary_links_focus_their_field(new_page, conference, author):
    page = new_page(javascript=True)
    log_in(page, author.email)
    page.goto("/submissions/new/")
    fill_line(page, 1, "Bo Second", "not an address")
    page.fill("textarea[name=abstract]", "Kept after the error")
    page.get_by_role("button", name="Save draft").click()

    summary = page.locator("#error-summary")
    assert summary.evaluate("el => el === document.activeElement")
    summary.get_by_role("link", name=re.compile("^Title:")).click()
    assert page.evaluate("document.activeElement.name") == "title"
    summary.get_by_role("link", name=re.compile("^Author 2, email:")).click()
    assert page.evaluate("document.activeElement.name") == "authors-1-email"
    assert page.input_value("textarea[name=abstract]") == "Kept after the error"
    assert Submission.objects.count() == 0

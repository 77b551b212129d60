"""A chair works through a long conflict list in a browser with JavaScript off:
searches a person, sorts by a column both ways, clears the search, asks for 25 a
page and goes to the next page (issue 14 item 11)."""

import io
import re

import pytest
from django.core.management import call_command

from haet.seed import DEMO_PASSWORD, STAGE_NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def rows(page):
    return page.locator("table.conflicts tbody tr")


def person_cells(page) -> list[str]:
    return [t.strip() for t in rows(page).locator("td:nth-child(2)").all_inner_texts()]


def test_chair_searches_sorts_and_pages_the_conflicts(
    no_script_page, settings, artifacts
):
    settings.HAET_NOW = STAGE_NOW["over"]
    call_command(
        "seed_haet2022",
        *("--stage", "over", "--papers", "15", "--reviewers", "7", "--reviews"),
        stdout=io.StringIO(),
    )
    page = no_script_page
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "chair@haet.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/reviews/chair/conflicts/")
    status = page.locator(".pager-range").first
    total = int(re.search(r"of (\d+)", status.inner_text()).group(1))
    assert total > 25, "the demo conference has a long conflict list"
    assert rows(page).count() == total  # 50 a page: all of them

    # Search: the email of the person in the last row.
    email = person_cells(page)[-1].splitlines()[-1].strip()
    page.get_by_role("searchbox", name="Search submission or person").fill(email)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q="))
    found = person_cells(page)
    assert 0 < len(found) < total
    assert all(email in cell for cell in found)
    assert f"of {len(found)}" in status.inner_text()

    # Sort by person, then the other way; the header says which.
    header = page.get_by_role("columnheader", name=re.compile("Person"))
    assert header.get_attribute("aria-sort") == "none"
    header.get_by_role("link").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert "q=" in page.url  # the search is kept
    header.get_by_role("link").click()
    assert header.get_attribute("aria-sort") == "descending"
    numbers = [
        int(re.match(r"#(\d+)", t).group(1))
        for t in rows(page).locator("td:first-child").all_inner_texts()
    ]
    assert len(numbers) == len(found)

    # Back to everything, 25 a page, sorted by submission number descending.
    page.get_by_role("link", name="Clear search").click()
    assert f"of {total}" in status.inner_text()
    page.get_by_role("link", name="25", exact=True).first.click()
    submission = page.get_by_role("columnheader", name=re.compile("Submission"))
    submission.get_by_role("link").click()
    submission.get_by_role("link").click()
    assert submission.get_attribute("aria-sort") == "descending"
    first_page = [
        int(re.match(r"#(\d+)", t).group(1))
        for t in rows(page).locator("td:first-child").all_inner_texts()
    ]
    assert len(first_page) == 25
    assert first_page == sorted(first_page, reverse=True)
    assert status.inner_text().startswith(f"1\N{EN DASH}25 of {total}")

    page.get_by_role("link", name=re.compile("Next")).first.click()
    assert status.inner_text().startswith(f"26\N{EN DASH}{total} of {total}")
    second_page = [
        int(re.match(r"#(\d+)", t).group(1))
        for t in rows(page).locator("td:first-child").all_inner_texts()
    ]
    assert len(second_page) == total - 25
    assert max(second_page) <= min(first_page)
    assert "per=25" in page.url
    assert "sort=-submission" in page.url
    page.screenshot(path=artifacts / "conflicts-paged.png", full_page=True)
    page.get_by_role("link", name=re.compile("Previous")).first.click()
    assert status.inner_text().startswith(f"1\N{EN DASH}25 of {total}")

"""In a browser: an author downloads their data from the mail settings; a chair
downloads the conference export from the chair's overview."""

import json
import re
from pathlib import Path

import pytest

from reviews.assigning import assign_reviewer
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_TITLE = "Frugal training of owls"
HIDDEN_TITLE = "Canary submission the chair co-authors"
REVIEW_TEXT = "canary-review: the owls are convincing"


@pytest.fixture
def world(conference, chair, reviewer, author):
    co_chair = UserFactory(email="co@chairs.example", role="chair")
    own = SubmissionFactory(number=1, title=OWN_TITLE, contact=author)
    SubmissionFactory(number=2, title=HIDDEN_TITLE, authors=[chair])
    assignment, _ = assign_reviewer(own, reviewer, by=co_chair)
    ReviewFactory(assignment=assignment, score=2, summary=REVIEW_TEXT)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def downloaded_json(page, link_name: str) -> tuple[str, dict]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    return download.suggested_filename, json.loads(text)


def test_an_author_downloads_their_data(page, world, author, reviewer):
    log_in(page, author.email)
    nav_click(page, "Mail settings")
    page.wait_for_url(re.compile("/account/mail/"))

    filename, document = downloaded_json(page, "Download my data (JSON)")

    assert filename.endswith("-my-data.json")
    assert document["profile"]["email"] == author.email
    assert [s["title"] for s in document["submissions"]] == [OWN_TITLE]
    assert reviewer.email not in json.dumps(document)
    assert REVIEW_TEXT not in json.dumps(document)


def test_a_chair_downloads_the_export_without_their_conflicts(page, world, chair):
    log_in(page, chair.email)
    nav_click(page, "Overview")
    page.get_by_role("link", name=re.compile("^Export")).click()
    page.wait_for_url(re.compile("/exchange/chair/"))
    assert page.get_by_role("heading", name="Export the conference").is_visible()

    filename, document = downloaded_json(page, "Download the export (JSON)")

    assert re.fullmatch(r"HAET2022-export-\d{4}-\d\d-\d\d\.json", filename)
    assert [s["title"] for s in document["submissions"]] == [OWN_TITLE]
    assert HIDDEN_TITLE not in json.dumps(document)
    assert document["reviews"][0]["answers"]["summary"] == REVIEW_TEXT

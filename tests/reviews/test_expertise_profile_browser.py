"""A reviewer uploads their BibTeX in a real browser and sees their papers and
the co-authors that will keep them off their submissions."""

import re

import pytest

from haet import clock
from tests.conftest import PASSWORD
from tests.reviews.test_expertise_profile import bibtex

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_uploads_a_bibtex_file(page, reviewer):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", reviewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/reviews/profile/")
    page.get_by_role("link", name=re.compile("your publications", re.I)).click()
    page.select_option("select[name=kind]", "bibtex")
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "me.bib",
                "mimeType": "text/x-bibtex",
                "buffer": bibtex(clock.now().year),
            }
        ],
    )
    page.get_by_role("button", name="Upload").click()

    page.wait_for_selector("text=Imported 2 publications (BibTeX)")
    papers = page.locator("table.publications").inner_text()
    coauthors = page.locator("table.coauthors").inner_text()
    assert "Sparse Training on FPGAs" in papers
    assert "Old Work" in papers
    assert "Hans Müller" in coauthors
    assert "Old Friend" not in coauthors

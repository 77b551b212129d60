"""Issue 12, finding 11d in Chromium: a text field over the upload memory limit gets
a page that explains, and Back returns to the form with what was typed."""

import re

import pytest

from submissions.models import Submission
from tests.conftest import PASSWORD
from tests.submissions.conftest import BEFORE_DEADLINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIMIT = 64 * 1024


def test_too_much_text_explains_and_back_keeps_the_form(
    page, conference, author, settings
):
    settings.HAET_NOW = BEFORE_DEADLINE
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT  # 5 MB in production
    abstract = "A very long pasted abstract. " * (LIMIT // 20)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", author.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))
    page.goto("/submissions/new/")
    page.fill("input[name=title]", "Sparse Training on a Budget")
    page.fill("textarea[name=abstract]", abstract)
    page.get_by_role("button", name="Save draft").click()

    assert page.locator("h1").inner_text() == "Too much text"
    assert "nothing was saved" in page.locator("main").inner_text()
    assert not Submission.objects.exists()
    page.go_back()
    assert page.input_value("input[name=title]") == "Sparse Training on a Budget"
    assert page.input_value("textarea[name=abstract]") == abstract

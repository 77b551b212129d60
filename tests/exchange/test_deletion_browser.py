"""In a browser: a person downloads their data, then deletes their account, from
the account menu; the password is asked again. Both cases: an account with nothing
attached is deleted, an author's is anonymised."""

import json
import re
from pathlib import Path

import pytest

from haet.models import User
from haet.outbox.models import OutboxMail
from submissions.models import Author
from tests.a11y import assert_accessible
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD
from tests.factories import SubmissionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def open_my_account(page):
    nav_click(page, "My data and account")
    page.wait_for_url(re.compile("/exchange/my-account/"))
    assert_accessible(page)


def confirm_with_password(page, email):
    page.get_by_label("Type your email address to confirm").fill(email)
    page.get_by_role("button", name=re.compile("(Delete|Anonymise) my account")).click()
    page.wait_for_url(re.compile("/accounts/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_download_my_data_from_the_account_page(page, conference, author):
    SubmissionFactory(contact=author, title="Frugal owls")
    log_in(page, author.email)
    open_my_account(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data (JSON)").click()

    document = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert document["profile"]["email"] == author.email
    assert [s["title"] for s in document["submissions"]] == ["Frugal owls"]


def test_an_account_with_nothing_attached_is_deleted(page, conference, outsider):
    log_in(page, outsider.email)
    open_my_account(page)
    page.get_by_label("Type your email address to confirm").fill("wrong@x.example")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile("/accounts/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    # The typed address is wrong: nothing deleted, the reason shown, text kept.
    assert page.get_by_text("This is not your address").is_visible()
    field = page.get_by_label("Type your email address to confirm")
    assert field.input_value() == "wrong@x.example"
    assert User.objects.filter(pk=outsider.pk).exists()

    field.fill(outsider.email)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/$"))

    assert page.get_by_text("Your account and its data are deleted.").is_visible()
    assert not User.objects.filter(pk=outsider.pk).exists()
    log_in_again = page.goto("/exchange/my-account/")
    assert "/accounts/login/" in log_in_again.url


def test_an_authors_account_is_anonymised(page, conference, chair, author):
    submission = SubmissionFactory(contact=author, title="Frugal owls")
    log_in(page, author.email)
    open_my_account(page)
    assert page.get_by_text("It will be anonymised instead").is_visible()

    confirm_with_password(page, author.email)

    assert page.get_by_text("Your account is anonymised").is_visible()
    author.refresh_from_db()
    assert (author.is_active, author.name) == (False, "Deleted account")
    assert Author.objects.get(submission=submission).name == "Ada Author"
    assert OutboxMail.objects.filter(
        template="account_anonymised", to_email=chair.email
    ).exists()

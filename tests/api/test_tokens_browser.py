"""In a browser: a chair creates an API token on the account page, sees it once,
uses it, and revokes it; the page passes axe."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from tests.a11y import assert_accessible
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_chair_creates_uses_and_revokes_a_token(page, conference, chair):
    log_in(page, chair.email)
    nav_click(page, "API tokens")
    page.wait_for_url(re.compile("/api/tokens/"))
    assert_accessible(page)

    page.get_by_label("Name").fill("acceptance script")
    page.get_by_label("Scope").select_option("chairing")
    page.get_by_role("button", name="Create token").click()

    key = page.locator("#new-token").inner_text()
    assert_accessible(page)
    api = Client()
    answer = api.get(reverse("api:submissions"), HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 200
    page.goto("/api/tokens/")
    assert page.locator("#new-token").count() == 0  # shown once
    assert page.get_by_role(
        "cell", name="Chairing (everything I see as a chair)"
    ).is_visible()

    page.get_by_role("button", name="Revoke “acceptance script”").click()

    assert page.get_by_text("Token “acceptance script” revoked.").is_visible()
    assert ApiToken.objects.get().is_revoked
    refused = api.get(reverse("api:submissions"), HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401

"""Accounts through django-allauth: sign up, verify by mail, log in by email."""

import re

import pytest
from django.urls import reverse

from haet.models import User

pytestmark = pytest.mark.django_db


def link_in(body: str) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", body).group(0)


def test_signup_verify_and_login(
    client, conference, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-pass-phrase-42",
                "password2": "a-long-pass-phrase-42",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["new@example.org"]]

    # Not verified yet: logging in sends the person back to verification.
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "new@example.org", "password": "a-long-pass-phrase-42"},
    )
    assert response["Location"] == reverse("account_email_verification_sent")

    url = link_in(mailoutbox[0].body)
    path = "/" + url.split("/", 3)[3]
    assert client.get(path).status_code == 200  # a confirmation page, not a GET action
    response = client.post(path)
    assert response.status_code == 302
    client.logout()

    response = client.post(
        reverse("account_login"),
        {"login": "new@example.org", "password": "a-long-pass-phrase-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert User.objects.get(email="new@example.org").emailaddress_set.get().verified


def test_password_reset_mail(
    client, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": author.email})

    assert [m.to for m in mailoutbox] == [[author.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_orcid_is_invisible_without_configuration(client, conference):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert "/accounts/orcid/" not in response.content.decode()


def test_change_email_page_for_a_signed_in_user(client, author):
    client.force_login(author)

    response = client.get(reverse("account_email"))

    assert response.status_code == 200
    assert author.email in response.content.decode()


def test_login_page_uses_the_site_layout(client, conference):
    html = client.get(reverse("account_login")).content.decode()

    assert "haet/haet.css" in html
    assert "HAET 2022" in html

"""Receivers: link co-authors to their accounts when an address is verified."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

from haet.models import User
from submissions.authors import link_authors

if TYPE_CHECKING:
    from allauth.account.models import EmailAddress


def link_on_confirmation(
    sender: object,
    request: HttpRequest | None = None,
    email_address: "EmailAddress | None" = None,
    **kwargs: object,
) -> None:
    if email_address is not None and email_address.verified:
        link_authors(email_address.user)


def link_on_login(
    sender: object,
    request: HttpRequest | None = None,
    user: User | None = None,
    **kwargs: object,
) -> None:
    if user is not None:
        link_authors(user)

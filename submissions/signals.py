"""Receivers: link co-authors to their accounts when an address is verified."""

from submissions.services import link_authors


def link_on_confirmation(sender, request=None, email_address=None, **kwargs) -> None:
    if email_address is not None and email_address.verified:
        link_authors(email_address.user)


def link_on_login(sender, request=None, user=None, **kwargs) -> None:
    if user is not None:
        link_authors(user)

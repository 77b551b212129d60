"""Who asks: a hashed API token (`Authorization: Token <key>`) or the session.

`Viewer` is what every endpoint reads: the account whose rules apply and the
roles the token's scope lets it use."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.models import ApiToken, hash_key
from haet import clock
from haet.models import User
from haet.rules import is_chair, is_reviewer

# last_used_at is written at most this often per token (one UPDATE, not one a GET).
USE_RESOLUTION = timedelta(minutes=5)


class HashedTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the token after “Token ”.")
        try:
            key = parts[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("This token is not valid.") from error
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid.")
        now = clock.now()
        if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


@dataclass(frozen=True)
class Viewer:
    """The account whose visibility rules apply, and the roles it may use here.
    A "public" token reads as an anonymous visitor; a "reviewing" token of a chair
    reads as that person without the chair role."""

    user: User | AnonymousUser
    as_chair: bool
    as_reviewer: bool

    @property
    def is_anonymous(self) -> bool:
        return not self.user.is_authenticated


def viewer_of(request: Any) -> Viewer:
    user = request.user
    token = request.auth if isinstance(request.auth, ApiToken) else None
    scope = token.scope if token is not None else ApiToken.Scope.CHAIRING
    if not user.is_authenticated or scope == ApiToken.Scope.PUBLIC:
        return Viewer(AnonymousUser(), as_chair=False, as_reviewer=False)
    return Viewer(
        user,
        as_chair=scope == ApiToken.Scope.CHAIRING and is_chair(user),
        as_reviewer=is_reviewer(user),
    )

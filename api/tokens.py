"""Creating and revoking API tokens (the only code that writes them)."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from api.models import ApiToken, hash_key
from haet import clock
from haet.models import User
from haet.rules import is_chair


def scopes_for(user: User) -> list[tuple[str, str]]:
    """The scopes `user` may give a token: chairing only for chairs."""
    return [
        (value, label)
        for value, label in ApiToken.Scope.choices
        if value != ApiToken.Scope.CHAIRING or is_chair(user)
    ]


@transaction.atomic
def create_token(user: User, *, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its key, which is never stored (only
    its SHA-256) and so is shown once. Raises PermissionDenied for a scope the user
    may not give, ValidationError for a blank name."""
    if scope not in dict(scopes_for(user)):
        raise PermissionDenied("This scope is for chairs.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name."})
    key = secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, prefix=key[:8], key_hash=hash_key(key)
    )
    return token, key


def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    """Revoke `token` (its owner only); idempotent. The row stays, listed as revoked."""
    if token.user_id != by.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token

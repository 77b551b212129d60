"""The API's section of "Download my data" (exchange.personal): the person's
tokens, by name, scope and dates. Never the hash: a token is a credential."""

from typing import Any

from api.models import ApiToken
from exchange.exporting import json_value
from haet.models import User


def api_tokens(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": token.name,
            "scope": token.scope,
            "prefix": token.prefix,
            "created_at": json_value(token.created_at),
            "last_used_at": json_value(token.last_used_at),
            "revoked_at": json_value(token.revoked_at),
        }
        for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    ]

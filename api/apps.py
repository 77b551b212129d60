from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only API: the last layer, it reads every app and none imports it."""

    name = "api"
    verbose_name = "Read-only API"

    def ready(self) -> None:
        from api import schema  # noqa: F401  # registers the token scheme
        from api.personal import api_tokens
        from exchange.personal import register_section

        register_section("api_tokens", api_tokens)  # exchange may not import api

        audit_models()


def audit_models() -> None:
    """API tokens in the audit log (haet.audit): created, revoked, deleted. The
    hash is redacted by its name (key_hash); the last use, moved by every request,
    is no entry."""
    from api.models import ApiToken
    from haet.audit.registry import fields_of, register_audited

    register_audited(
        ApiToken,
        name="api_token",
        fields=fields_of(ApiToken, exclude=["last_used_at"]),
        verb=lambda before, after: "revoked" if after.get("revoked_at") else None,
    )

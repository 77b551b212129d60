"""API tokens: one per client a person connects, stored only as a hash."""

import hashlib
from typing import Self

from django.conf import settings
from django.db import models

from haet.models import BaseModel


def hash_key(key: str) -> str:
    """SHA-256 of the token: tokens are 240 random bits, so a fast hash is enough
    (nothing to brute-force) and a lookup stays one indexed query."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(BaseModel):
    class Scope(models.TextChoices):
        # What anonymous visitors see: the call for papers, accepted papers, awards.
        PUBLIC = "public", "Public data only"
        # The owner's own submissions and, for reviewers, their blind assignments.
        REVIEWING = "reviewing", "My submissions and reviewing"
        # Everything the chair sees on the chairs' pages (chairs only).
        CHAIRING = "chairing", "Chairing (everything I see as a chair)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, for you.")
    scope = models.CharField(
        max_length=10, choices=Scope.choices, default=Scope.REVIEWING
    )
    prefix = models.CharField(max_length=8, help_text="Shown to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

"""Conflicts of interest the authors declare."""

from django.conf import settings
from django.db import models

from submissions.models.submission import Submission


class DeclaredConflict(models.Model):
    """A conflict the authors declare: a person (email) or an institution (domain)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person (email address)"
        DOMAIN = "domain", "Institution (email domain)"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(
        max_length=254, help_text="jane@uni.edu, or a domain such as uni.edu."
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "value"], name="unique_declared_conflict"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} conflicts with {self.value}"

    def matches(self, email: str) -> bool:
        """Does this declaration cover the address? Domains include subdomains."""
        email = email.strip().lower()
        if self.kind == self.Kind.PERSON:
            return email == self.value
        domain = email.rpartition("@")[2]
        return domain == self.value or domain.endswith("." + self.value)

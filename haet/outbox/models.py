"""The outbox: every outgoing mail is a row before it is a message.

A row is written in the same transaction as the change that causes it, under a unique
`dedupe_key`, so the same cause can never queue a second mail (a double click, a beat
double-fire, a Redis redelivery). Delivery claims the row with a conditional UPDATE
(haet.outbox.delivery.claim_mail), so running delivery twice sends once.
"""

import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, Q

from haet.rules import conflicted_submission_ids

if TYPE_CHECKING:
    from haet.models import User

# Mails that carry a credential (a sign-in, reset, verification or invitation link),
# by template name. New rows are marked by their callers (`sensitive=True`), and
# queue_rendered marks these names too, as a safety net (the data migration that
# marked rows written before `is_sensitive` existed keeps its own list).
SENSITIVE_TEMPLATES = frozenset(
    {
        # allauth (haet.adapters.AccountAdapter marks every one of its mails)
        "password_reset_key",
        "email_confirmation",
        "email_confirmation_signup",
        "email_changed",
        "login_code",
        "reviewer_invitation",
        "reviewer_invitation_reminder",
        # token links that open a submission or grant a role (reviews)
        "area_chair_invitation",
        "delegation_invitation",
        "emergency_invitation",
    }
)


class OutboxMailQuerySet(models.QuerySet):
    def visible_to(self, user: "User | AnonymousUser") -> "OutboxMailQuerySet":
        """The chairs' one visibility rule, as for every other chair query: no mail
        about a submission `user` is conflicted with (an assignment mail names its
        reviewer, a digest names reviewers, a receipt names the author)."""
        hidden = conflicted_submission_ids(user)
        if not hidden:
            return self
        # exclude() over a multi-valued relation is a NOT IN (subquery): a mail linked
        # to a hidden submission goes, whatever else it is linked to.
        return self.exclude(submission_links__submission_id__in=hidden)

    def status_counts(self) -> dict[str, int]:
        """{status: count} in one query, for the chair page's filter tabs."""
        return {
            status: count
            for status, count in self.order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
        }

    def search(self, text: str) -> "OutboxMailQuerySet":
        if not text:
            return self
        return self.filter(Q(to_email__icontains=text) | Q(subject__icontains=text))


class OutboxMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        HELD = "held", "Held"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_mails",
    )
    to_email = models.EmailField(max_length=254)  # one recipient per row, always
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    dedupe_key = models.CharField(max_length=255, unique=True)
    is_essential = models.BooleanField(default=True)
    # Carries a credential (reset, verification or invitation link): chairs see that
    # it was sent, to whom and when, never its text; it cannot be held or edited.
    is_sensitive = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the sweep may publish this row again if it is still queued: a little after
    # creation (the on-commit publish normally wins), after the backoff of a failed
    # attempt, or some minutes after the sweep last published it.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's two questions: queued rows due again, rows stuck sending.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["status", "claimed_at"], name="outbox_claimed"),
            models.Index(fields=["status", "-created_at"], name="outbox_list"),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject} ({self.status})"

    @property
    def message_id(self) -> str:
        """Stable per row: if a crash makes us send a row twice, both copies carry
        the same Message-ID, so mail clients and our tests can tell it is one mail."""
        digest = hashlib.sha256(self.dedupe_key.encode()).hexdigest()[:16]
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "haet"
        return f"<outbox.{self.pk}.{digest}@{domain}>"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.HELD and not self.is_sensitive


class OutboxMailSubmission(models.Model):
    """A submission a mail is about: what hides the mail from a chair conflicted
    with it. An integer, not a foreign key, because haet sits below the submissions
    app (a deleted submission leaves its mails hidden from whoever was conflicted)."""

    mail = models.ForeignKey(
        OutboxMail, on_delete=models.CASCADE, related_name="submission_links"
    )
    submission_id = models.PositiveBigIntegerField(db_index=True)  # Submission.pk

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mail", "submission_id"], name="one_link_per_submission"
            )
        ]

    def __str__(self) -> str:
        return f"mail {self.mail_id} is about submission {self.submission_id}"


class MailPreference(models.Model):
    """A user's choice about one non-essential kind of mail; no row means "yes"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_preferences",
    )
    key = models.CharField(max_length=64)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="one_preference_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}={'on' if self.enabled else 'off'}"


OFFSET_RE = re.compile(r"^([+-]?)(\d+)\s*([dhm])$")
OFFSET_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """ "-7d, -1d, -3h" -> offsets from the deadline (negative = before it)."""
    offsets = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        match = OFFSET_RE.match(part)
        if match is None:
            raise ValueError(f"“{part}” is not an offset such as -7d, -3h or +1d")
        sign, amount, unit = match.groups()
        delta = timedelta(**{OFFSET_UNITS[unit]: int(amount)})
        offsets.append(-delta if sign == "-" else delta)
    return tuple(sorted(set(offsets)))


def format_offset(offset: timedelta) -> str:
    """The inverse of one parse_offsets item; also the step's name in dedupe keys."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    if minutes and minutes % (24 * 60) == 0:
        return f"{sign}{minutes // (24 * 60)}d"
    if minutes and minutes % 60 == 0:
        return f"{sign}{minutes // 60}h"
    return f"{sign}{minutes}m"


def format_offsets(offsets: Iterable[timedelta]) -> str:
    return ", ".join(format_offset(o) for o in sorted(offsets))


class ReminderSetting(models.Model):
    """A chair's override of a registered reminder: on/off and its offsets."""

    key = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    offsets = models.CharField(
        max_length=200,
        blank=True,
        help_text="Comma-separated, e.g. “-7d, -1d, -3h” (before the deadline) or "
        "“+3d, +7d” (after). Blank: the default steps.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.key}: {'on' if self.enabled else 'off'} {self.offsets}"

    @property
    def offset_list(self) -> tuple[timedelta, ...] | None:
        return parse_offsets(self.offsets) if self.offsets.strip() else None

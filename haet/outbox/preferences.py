"""What mail people get: users' mail preferences and the chairs' reminder settings."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from haet.models import User
from haet.outbox.models import MailPreference, ReminderSetting, format_offsets

# The non-essential mails a user may turn off (the mail settings page), by the key
# their sender passes as `queue_mail(preference=...)`; every other mail is essential.
# Plain data, not a registry: a later app names the key, haet never imports it.
REVIEW_POSTED = "review_posted"
DISCUSSION_POSTED = "discussion_posted"
CAMPAIGNS = "campaigns"  # the chairs' mails to a group (campaigns app), not essential
PREFERENCES: dict[str, str] = {
    REVIEW_POSTED: "Another reviewer submitted a review of a submission I review",
    DISCUSSION_POSTED: (
        "A new post in the discussion of a submission I review or oversee as area chair"
    ),
    CAMPAIGNS: "Announcements the chairs send to a group (essential ones still come)",
}


def wants_mail(user: User, key: str) -> bool:
    return not MailPreference.objects.filter(user=user, key=key, enabled=False).exists()


@transaction.atomic
def set_mail_preferences(user: User, choices: dict[str, bool]) -> None:
    """Record the user's yes/no for each registered non-essential kind of mail
    (only what differs from what holds now: yes, unless the user said no)."""
    current = dict(
        MailPreference.objects.filter(user=user).values_list("key", "enabled")
    )
    for key, enabled in choices.items():
        if key not in PREFERENCES:
            raise ValidationError(f"Unknown mail preference {key!r}.")
        if current.get(key, True) == enabled:
            continue  # saved unchanged: nothing to record
        MailPreference.objects.update_or_create(
            user=user, key=key, defaults={"enabled": enabled}
        )


@transaction.atomic
def save_reminder_setting(
    key: str, *, enabled: bool, offsets: Iterable[timedelta] | None, by: User
) -> ReminderSetting:
    """A chair turns a reminder on or off or changes its steps (None: the default).
    Saved unchanged (the same override, or the defaults and no override), nothing
    is written."""
    text = format_offsets(offsets) if offsets else ""
    existing = ReminderSetting.objects.filter(key=key).first()
    if existing is None and enabled and not text:
        return ReminderSetting(key=key, enabled=True, offsets="")
    if existing is not None and (existing.enabled, existing.offsets) == (enabled, text):
        return existing
    setting, _ = ReminderSetting.objects.update_or_create(
        key=key, defaults={"enabled": enabled, "offsets": text, "updated_by": by}
    )
    return setting

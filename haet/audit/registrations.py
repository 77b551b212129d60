"""The audited models of the haet package itself (accounts, dates, mail). Every
later app registers its own in its AppConfig.ready()."""

from haet.audit.registry import fields_of, register_audited


def register_haet_models() -> None:
    from haet.models import (
        AwardCategory,
        Conference,
        DateChange,
        ImportantDate,
        Topic,
        User,
    )
    from haet.outbox.models import MailPreference, OutboxMail, ReminderSetting

    register_audited(Conference, name="conference", fields=fields_of(Conference))
    register_audited(Topic, name="topic", fields=fields_of(Topic))
    register_audited(AwardCategory, name="award", fields=fields_of(AwardCategory))
    register_audited(
        MailPreference, name="mail_preference", fields=fields_of(MailPreference)
    )
    register_audited(
        ReminderSetting, name="reminder_setting", fields=fields_of(ReminderSetting)
    )

    # A password change is logged as a change, never with its value (chain.py
    # redacts any field named like a credential).
    register_audited(
        User,
        name="user",
        fields=["email", "name", "affiliation", "password", "is_active"],
    )
    register_audited(
        ImportantDate, name="date", fields=["kind", "label", "at", "is_public"]
    )
    register_audited(
        DateChange,
        name="date_change",
        fields=["date", "old_at", "new_at", "changed_by"],
    )
    # The mail's text is not logged: a sign-in or reset mail carries its link there.
    # Its submissions are found through its links (AuditEntryQuerySet).
    register_audited(
        OutboxMail,
        name="mail",
        fields=[
            "recipient",
            "to_email",
            "template",
            "subject",
            "status",
            "is_essential",
            "is_sensitive",
            "held_by",
            "edited_by",
        ],
        verb=lambda before, after: after.get("status"),
    )

"""The audited models of the haet package itself (accounts, dates, mail). Every
later app registers its own in its AppConfig.ready()."""

from haet.audit.registry import register_audited


def register_haet_models() -> None:
    from haet.models import DateChange, ImportantDate, User
    from haet.outbox.models import OutboxMail

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

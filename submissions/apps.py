from typing import Any

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from haet.signals import seed_demo
        from submissions import reminders, seed, seed_tags, signals
        from submissions.fields import audit as field_audit
        from submissions.fields import search as field_terms
        from submissions.fields import seed as field_seed
        from submissions.search import terms as search_terms

        # A co-author sees the submission once their address is verified.
        email_confirmed.connect(signals.link_on_confirmation, dispatch_uid="subs-ec")
        user_logged_in.connect(signals.link_on_login, dispatch_uid="subs-login")
        seed_demo.connect(seed.seed_submissions, dispatch_uid="subs-seed")
        seed_demo.connect(seed_tags.seed_tags, dispatch_uid="subs-seed-tags")
        seed_demo.connect(field_seed.seed_submission_fields, dispatch_uid="subs-fields")
        reminders.register()
        search_terms.register()
        field_terms.register()  # field:<name>=<value>
        audit_models()
        field_audit.register()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit)."""
    from haet.audit.registry import (
        fields_of,
        register_audited,
        register_audited_m2m,
        register_submission_lookup,
    )
    from submissions import models as m

    def own(obj: Any) -> int:
        return obj.submission_id

    register_audited(
        m.Submission,
        name="submission",
        fields=[
            "title",
            "abstract",
            "keywords",
            "state",
            "submitted_at",
            "withdrawn_at",
            "is_late",
            "contact",
            "not_accepted_at_main",
            "include_in_proceedings",
            "arxiv_url",
            "main_body_pages",
            "current_version",
            "supplementary",
        ],
        submission=lambda submission: submission.pk,
        # "submission.submitted", ".withdrawn", ".draft" (restored)
        verb=lambda before, after: after.get("state"),
    )
    register_audited(
        m.SubmissionVersion,
        name="version",
        fields=[
            "original_filename",
            "sha256",
            "size",
            "page_count",
            "main_body_pages",
            "is_main_body_self_declared",
            "check_report",
            "is_late",
            "uploaded_by",
            "uploaded_at",
        ],
        submission=own,
    )
    register_audited(
        m.SupplementaryFile,
        name="supplementary",
        fields=["original_filename", "sha256", "size", "check_report", "uploaded_by"],
        submission=own,
    )
    register_audited(
        m.Author,
        name="author",
        fields=["order", "name", "email", "affiliation", "user"],
        submission=own,
    )
    register_audited(
        m.DeclaredConflict,
        name="declared_conflict",
        fields=["kind", "value", "declared_by"],
        submission=own,
    )
    register_audited(
        m.DeadlineExtension,
        name="extension",
        fields=["until", "reason", "granted_by"],
        submission=own,
    )
    register_audited(
        m.Receipt,
        name="receipt",
        fields=fields_of(m.Receipt, exclude=["submission"]),
        submission=own,
    )
    register_audited(
        m.SubmissionSettings,
        name="submission_settings",
        fields=fields_of(m.SubmissionSettings),
    )

    # A chair's private tag, where it is put and a private saved search are read in
    # the log by their owner only: other chairs see no name, no query, no count.
    def tag_owner(tag: Any) -> int | None:
        return tag.owner_id if tag.visibility == m.Tag.Visibility.PRIVATE else None

    register_audited(
        m.Tag,
        name="tag",
        fields=["name", "colour", "visibility", "owner"],
        private_to=tag_owner,
    )
    register_audited(
        m.SubmissionTag,
        name="submission_tag",
        fields=["tag", "added_by"],
        submission=own,
        private_to=lambda link: tag_owner(link.tag),
    )
    register_audited(
        m.SavedSearch,
        name="saved_search",
        fields=["name", "query", "shared", "owner", "auto_tag"],
        private_to=lambda saved: None if saved.shared else saved.owner_id,
    )
    register_audited_m2m(m.Submission, "topics")
    register_submission_lookup(
        numbers=lambda ids: dict(
            m.Submission.objects.filter(pk__in=ids).values_list("pk", "number")
        ),
        id_of=lambda number: (
            m.Submission.objects.filter(number=number)
            .values_list("pk", flat=True)
            .first()
        ),
    )

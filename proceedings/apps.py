from django.apps import AppConfig


class ProceedingsConfig(AppConfig):
    """The proceedings phase after the decisions: camera-ready versions,
    presentations, the proceedings exports and the public accepted papers."""

    name = "proceedings"
    label = "proceedings"
    verbose_name = "Proceedings"

    def ready(self) -> None:
        from haet.home import register_home_section
        from haet.signals import seed_demo
        from proceedings import jobs, reminders, seed
        from proceedings.home import accepted_section

        # After decisions.seed's receiver: decisions/apps.py connects first.
        seed_demo.connect(seed.seed_proceedings, dispatch_uid="proceedings-seed")
        reminders.register()
        jobs.register()
        # Accepted papers (the proceedings after the workshop) come first.
        register_home_section("accepted", accepted_section, order=10)
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit)."""
    from haet.audit.registry import register_audited
    from proceedings.models import CameraReady, CameraReadyVersion

    register_audited(
        CameraReady,
        name="camera_ready",
        fields=[
            "title",
            "authors",
            "include_in_proceedings",
            "copyright_accepted_at",
            "arxiv_url",
            "current_version",
            "slides",
            "poster",
            "confirmed_by",
            "submitted_at",
            "is_late",
        ],
        submission=lambda camera_ready: camera_ready.submission_id,
        verb=lambda before, after: "submitted" if after.get("submitted_at") else None,
    )
    register_audited(
        CameraReadyVersion,
        name="camera_ready_version",
        fields=[f.name for f in CameraReadyVersion._meta.concrete_fields][1:],
        submission=lambda version: version.camera_ready.submission_id,
    )
    from haet.audit.registry import fields_of
    from proceedings.models import CameraReadyExtension

    register_audited(
        CameraReadyExtension,
        name="camera_ready_extension",
        fields=fields_of(CameraReadyExtension, exclude=["submission"]),
        submission=lambda extension: extension.submission_id,
    )

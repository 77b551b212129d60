"""What the audit log (haet.audit) records of the submission fields: every
change to a field's definition, and every answer written or removed."""

from haet.audit.registry import register_audited
from submissions.models import FieldAnswer, SubmissionField


def register() -> None:
    register_audited(
        SubmissionField,
        name="submission_field",
        fields=[
            "label",
            "slug",
            "kind",
            "choices",
            "required",
            "stage",
            "visibility",
            "order",
            "condition_field",
            "condition_value",
            "archived_at",
        ],
    )
    register_audited(
        FieldAnswer,
        name="field_answer",
        fields=["field", "text", "identity_warning"],
        submission=lambda answer: answer.submission_id,
    )

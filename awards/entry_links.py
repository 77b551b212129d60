"""The link between a prize and a submission field answer (issue 15): chairs
mark a yes/no field, or one option of a choice field, as "enters this award".

The answer is the authors' declaration that the submission enters the prize;
the `Entry` holds the measurements, given on the award page once entries open.
Both stay in step: saving an entry ticks the answer, withdrawing it unticks it
(`awards.entering`), and an answer that drops the prize withdraws the entry
(`awards.entering.withdraw_unselected`, an answer listener of
`submissions.fields.listeners`).
"""

from typing import Any

from django.core.exceptions import ValidationError

from awards.models import AwardSettings
from haet.models import Conference, User
from submissions.fields.answers import matches
from submissions.fields.services import AnswerInput, save_answers, set_answer
from submissions.models import FieldAnswer, Submission, SubmissionField

Kind = SubmissionField.Kind
LINKABLE = (Kind.YES_NO, Kind.CHOICE, Kind.CHOICES)
YES = "yes"


def option_key(field: SubmissionField, choice: str) -> str:
    return f"{field.pk}:{choice}"


def linkable_options(conference: Conference) -> list[tuple[str, str]]:
    """(key, label) of every option a chair may link to an award."""
    options = []
    fields = SubmissionField.objects.for_conference(conference).filter(
        kind__in=LINKABLE, archived_at__isnull=True
    )
    for field in fields.order_by("order", "pk"):
        if field.kind == Kind.YES_NO:
            options.append((option_key(field, ""), f"{field.label}: yes"))
        for choice in field.choices:
            options.append((option_key(field, choice), f"{field.label}: {choice}"))
    return options


def parse_option(
    key: str, conference: Conference
) -> tuple[SubmissionField | None, str]:
    """The (field, choice) a chair's option key names; ValidationError if none."""
    if not key:
        return None, ""
    pk, _, choice = key.partition(":")
    field = (
        SubmissionField.objects.filter(conference=conference, kind__in=LINKABLE)
        .filter(pk=int(pk) if pk.isdigit() else 0)
        .first()
    )
    if field is None or (field.kind != Kind.YES_NO and choice not in field.choices):
        raise ValidationError("Choose a field option from the list.")
    return field, "" if field.kind == Kind.YES_NO else choice


def selects(found: AwardSettings, text: str) -> bool:
    """Does an answer (as text) enter the award?"""
    field = found.entry_field
    if field is None or not text:
        return False
    return matches(text, field, found.entry_choice or YES)


def declared_ids(found: AwardSettings) -> set[int]:
    """The submissions whose answer enters the award (one query)."""
    if found.entry_field_id is None:
        return set()
    answers = FieldAnswer.objects.filter(field_id=found.entry_field_id)
    return {
        submission_id
        for submission_id, text in answers.values_list("submission_id", "text")
        if selects(found, text)
    }


def is_declared(found: AwardSettings, submission: Submission) -> bool:
    if found.entry_field_id is None:
        return False
    text = (
        FieldAnswer.objects.filter(field_id=found.entry_field_id, submission=submission)
        .values_list("text", flat=True)
        .first()
    )
    return selects(found, text or "")


def _new_value(found: AwardSettings, stored: Any, *, entered: bool) -> Any:
    field = found.entry_field
    assert field is not None  # noqa: S101  callers check
    if field.kind == Kind.YES_NO:
        return YES if entered else "no"
    if field.kind == Kind.CHOICE:
        return found.entry_choice if entered else ""
    kept = [v for v in (stored or []) if v != found.entry_choice]
    return [*kept, found.entry_choice] if entered else kept


def mark_answer(
    found: AwardSettings, submission: Submission, *, entered: bool, by: User
) -> None:
    """Make the linked answer say whether the submission enters the award (a
    no-op without a link or when it already says so)."""
    field = found.entry_field
    if field is None or field.is_archived:
        return
    answer = FieldAnswer.objects.filter(field=field, submission=submission).first()
    if selects(found, answer.text if answer else "") == entered:
        return
    stored = answer.value if answer else None
    value = _new_value(found, stored, entered=entered)
    if value in ("", []):
        value = None
    if value is None:
        save_answers(submission, [AnswerInput(field, None)], by=by)
        return
    set_answer(submission, field, value, by=by)


def describe(found: AwardSettings) -> str:
    """The linked option as chairs and authors read it."""
    field = found.entry_field
    if field is None:
        return ""
    choice = found.entry_choice or YES
    return f"“{field.label}”: {choice}"

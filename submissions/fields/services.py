"""The only code that writes submission fields and their answers."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from haet import clock
from haet.models import Conference, User
from submissions.fields.answers import Kind, is_asked, is_empty, to_text, to_value
from submissions.fields.identity import scan_answer
from submissions.fields.listeners import AnswerChange, answers_changed
from submissions.models import FieldAnswer, Submission, SubmissionField


def _check_condition(field: SubmissionField) -> None:
    condition = field.condition_field
    if condition is None:
        field.condition_value = ""
        return
    if condition.pk == field.pk or condition.conference_id != field.conference_id:
        raise ValidationError({"condition_field": "Choose another field."})
    seen = {field.pk}
    while condition is not None:  # no cycles: A asked when B, B asked when A
        if condition.pk in seen:
            raise ValidationError(
                {"condition_field": "These conditions would depend on each other."}
            )
        seen.add(condition.pk)
        condition = condition.condition_field
    if not field.condition_value.strip():
        raise ValidationError(
            {"condition_value": "Give the answer that makes this field asked."}
        )


def _clean_choices(field: SubmissionField) -> None:
    if field.kind in (Kind.CHOICE, Kind.CHOICES):
        choices = [str(c).strip() for c in field.choices if str(c).strip()]
        field.choices = list(dict.fromkeys(choices))
        if not field.choices:
            raise ValidationError({"choices": "A choice field needs its options."})
    else:
        field.choices = []


@transaction.atomic
def save_field(field: SubmissionField, *, by: User) -> SubmissionField:
    """Create or change a field definition. A new field goes last. Answers are
    never touched: a choice taken off the list stays readable in its answers."""
    _clean_choices(field)
    _check_condition(field)
    if field.pk is None:
        last = SubmissionField.objects.filter(conference=field.conference).aggregate(
            last=Max("order")
        )["last"]
        field.order = 0 if last is None else last + 1
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def archive_field(field: SubmissionField, *, by: User) -> SubmissionField:
    """Take a field off the forms. Its answers are kept, and shown to chairs."""
    if field.archived_at is None:
        field.archived_at = clock.now()
        field.save(update_fields=["archived_at", "updated_at"])
    return field


@transaction.atomic
def restore_field(field: SubmissionField, *, by: User) -> SubmissionField:
    if field.archived_at is not None:
        field.archived_at = None
        field.save(update_fields=["archived_at", "updated_at"])
    return field


@transaction.atomic
def move_field(field: SubmissionField, *, up: bool, by: User) -> None:
    """Swap the field with its neighbour in the form's order (renumbered 0..n)."""
    fields = list(
        SubmissionField.objects.select_for_update()
        .filter(conference=field.conference)
        .order_by("order", "pk")
    )
    at = next(i for i, each in enumerate(fields) if each.pk == field.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(fields):
        fields[at], fields[other] = fields[other], fields[at]
    for order, each in enumerate(fields):
        if each.order != order:
            each.order = order
            each.save(update_fields=["order"])


@dataclass(frozen=True)
class AnswerInput:
    """One field's cleaned answer from a form: `value` as the form cleaned it;
    for a file, an upload, or `clear` to remove the stored one."""

    field: SubmissionField
    value: Any = None
    clear: bool = False


def scan_answers(inputs: Iterable[AnswerInput], authors: Iterable) -> dict[int, str]:
    """{field id: refusal} for the reviewer-visible answers naming an author."""
    authors = list(authors)
    refusals = {}
    for each in inputs:
        if isinstance(each.value, str):
            verdict = scan_answer(each.field, each.value, authors)
            if verdict.refusal:
                refusals[each.field.pk] = verdict.refusal
    return refusals


@transaction.atomic
def save_answers(
    submission: Submission,
    inputs: Iterable[AnswerInput],
    *,
    by: User,
    authors: Iterable | None = None,
) -> list[FieldAnswer]:
    """Store the answers of one form. An empty answer, or one to a conditional
    field no longer asked, removes the stored one; a file kept unless replaced or
    cleared. Reviewer-visible free text is scanned for the authors' identities:
    a name or email raises ValidationError (nothing stored), an affiliation or a
    link is stored with its warning. Answers to fields not in `inputs` (other
    stage, archived) are left alone. The answer listeners (`fields.listeners`)
    are told what changed, in this transaction: one may refuse (ValidationError)."""
    inputs = list(inputs)
    authors = list(submission.authors.all() if authors is None else authors)
    refusals = scan_answers(inputs, authors)
    if refusals:
        raise ValidationError(list(refusals.values()))
    stored = {
        answer.field_id: answer
        for answer in FieldAnswer.objects.select_for_update().filter(
            submission=submission
        )
    }
    texts = {pk: answer.text for pk, answer in stored.items()}
    before = dict(texts)
    for each in inputs:  # the new answers decide which conditional fields are asked
        if each.field.kind != Kind.FILE:
            texts[each.field.pk] = (
                ""
                if is_empty(each.value)
                else to_text(each.field, to_value(each.field, each.value))
            )
    saved = []
    for each in inputs:
        field, answer = each.field, stored.get(each.field.pk)
        if not is_asked(field, texts):
            if answer is not None:
                answer.delete()
            continue
        if field.kind == Kind.FILE:
            saved_file = _save_file(submission, field, answer, each)
            if saved_file is not None:
                saved.append(saved_file)
            continue
        if is_empty(each.value):
            if answer is not None:
                answer.delete()
            continue
        value = to_value(field, each.value)
        text = to_text(field, value)
        verdict = scan_answer(field, text, authors)
        if answer is None:
            answer = FieldAnswer(submission=submission, field=field)
        answer.value, answer.text = value, text
        answer.identity_warning = verdict.warning
        answer.save()
        saved.append(answer)
    after = {answer.field_id: answer.text for answer in saved}
    changes = [
        AnswerChange(
            each.field, before.get(each.field.pk, ""), after.get(each.field.pk, "")
        )
        for each in inputs
        if before.get(each.field.pk, "") != after.get(each.field.pk, "")
    ]
    answers_changed(submission, changes, by=by)
    return saved


def _save_file(
    submission: Submission,
    field: SubmissionField,
    answer: FieldAnswer | None,
    each: AnswerInput,
) -> FieldAnswer | None:
    upload = each.value if isinstance(each.value, UploadedFile) else None
    if upload is None:
        if each.clear and answer is not None:
            answer.file.delete(save=False)
            answer.delete()
            return None
        return answer
    if upload.size is not None and upload.size > 10 * 1024 * 1024:
        raise ValidationError(f"{field.label}: files are limited to 10 MB.")
    if answer is None:
        answer = FieldAnswer(submission=submission, field=field)
    elif answer.file:
        answer.file.delete(save=False)
    name = (upload.name or "file")[-200:]
    answer.file.save(name, upload, save=False)
    answer.file_name = name
    answer.value, answer.text = name, name
    answer.save()
    return answer


def missing_required(submission: Submission, *, stage: str) -> list[SubmissionField]:
    """The required fields of `stage` asked of this submission and not answered."""
    fields = list(
        SubmissionField.objects.for_conference(submission.conference)
        .asked_at(stage)
        .select_related("condition_field")
    )
    texts = dict(
        FieldAnswer.objects.filter(submission=submission).values_list(
            "field_id", "text"
        )
    )
    return [
        field
        for field in fields
        if field.required and is_asked(field, texts) and not texts.get(field.pk)
    ]


def set_answer(
    submission: Submission, field: SubmissionField, value: Any, *, by: User
) -> FieldAnswer:
    """One answer, as a form would give it (the seed, imports, tests)."""
    saved = save_answers(submission, [AnswerInput(field, value)], by=by)
    found = [answer for answer in saved if answer.field_id == field.pk]
    if not found:
        raise ValidationError(f"{field.label}: no answer stored.")
    return found[0]


def conference_fields(conference: Conference, *, stage: str) -> list[SubmissionField]:
    return list(
        SubmissionField.objects.for_conference(conference)
        .asked_at(stage)
        .select_related("condition_field")
    )

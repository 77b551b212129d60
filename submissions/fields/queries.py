"""Reads: the fields and answers a page, a list or an export shows."""

from collections.abc import Iterable
from dataclasses import dataclass

from haet.models import Conference
from submissions.fields.answers import Kind
from submissions.models import FieldAnswer, SubmissionField

# Kinds short enough for a list column.
COLUMN_KINDS = (
    Kind.YES_NO,
    Kind.CHOICE,
    Kind.CHOICES,
    Kind.NUMBER,
    Kind.SHORT_TEXT,
    Kind.URL,
)


@dataclass(frozen=True)
class Shown:
    """One field and a submission's answer to it (None: not answered)."""

    field: SubmissionField
    answer: FieldAnswer | None


def fields_for(conference: Conference, *, audience: str) -> list[SubmissionField]:
    """The fields whose answers `audience` reads, in the form's order (chairs:
    archived ones too, after the others)."""
    fields = list(SubmissionField.objects.for_conference(conference).shown_to(audience))
    return sorted(fields, key=lambda f: (f.is_archived, f.order, f.pk))


def answers_by_submission(
    submission_ids: Iterable[int], fields: Iterable[SubmissionField]
) -> dict[int, dict[int, FieldAnswer]]:
    """{submission id: {field id: answer}} in one query."""
    ids = list(submission_ids)
    field_ids = [field.pk for field in fields]
    found: dict[int, dict[int, FieldAnswer]] = {pk: {} for pk in ids}
    if not ids or not field_ids:
        return found
    for answer in FieldAnswer.objects.filter(
        submission_id__in=ids, field_id__in=field_ids
    ):
        found[answer.submission_id][answer.field_id] = answer
    return found


def shown_answers(
    submission_id: int, conference: Conference, *, audience: str
) -> list[Shown]:
    """The answers one submission shows to `audience`, every field listed."""
    fields = fields_for(conference, audience=audience)
    answers = answers_by_submission([submission_id], fields)[submission_id]
    return [Shown(field, answers.get(field.pk)) for field in fields]


def column_fields(conference: Conference) -> list[SubmissionField]:
    """The active fields the chairs' list shows as columns."""
    return [
        field
        for field in fields_for(conference, audience="authors")
        if field.kind in COLUMN_KINDS
    ]


def export_columns(
    submission_ids: Iterable[int], conference: Conference, *, audience: str
) -> tuple[list[str], dict[int, dict[str, str]]]:
    """(["field.<slug>", ...], {submission id: {column: text}}) for an export
    read by `audience` ("chairs" or "public"); two queries."""
    fields = fields_for(conference, audience=audience)
    columns = [field.placeholder for field in fields]
    answers = answers_by_submission(submission_ids, fields)
    return columns, {
        pk: {
            field.placeholder: (found[field.pk].text if field.pk in found else "")
            for field in fields
        }
        for pk, found in answers.items()
    }


def reviewer_answers(
    submission_id: int, conference: Conference
) -> list[tuple[str, str]]:
    """[(question, answer)] a reviewer reads: the answered reviewer-visible fields,
    as plain text (no file: files do not go to reviewers). Two queries."""
    return [
        (item.field.label, item.answer.text)
        for item in shown_answers(submission_id, conference, audience="reviewers")
        if item.answer is not None and item.field.kind != Kind.FILE
    ]


def public_answers(
    submission_ids: Iterable[int], conference: Conference
) -> dict[int, list[tuple[str, str]]]:
    """{submission id: [(question, answer)]} of the public fields, for the
    accepted papers page (pass only released acceptances): a yes/no field shows
    as its question when answered yes ("Non-archival"), not at all when no.
    Two queries."""
    fields = fields_for(conference, audience="public")
    answers = answers_by_submission(submission_ids, fields)
    shown: dict[int, list[tuple[str, str]]] = {}
    for pk, found in answers.items():
        shown[pk] = []
        for field in fields:
            answer = found.get(field.pk)
            if answer is None or field.kind == Kind.FILE:
                continue
            if field.kind == Kind.YES_NO:
                if answer.value:
                    shown[pk].append((field.label, ""))
                continue
            shown[pk].append((field.label, answer.text))
    return shown

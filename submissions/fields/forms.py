"""The chairs' field form and the authors' answers form."""

from typing import Any

from django import forms

from haet.models import Conference
from haet.widgets import Textarea
from submissions.fields.answers import (
    Kind,
    form_field,
    initial_of,
    is_asked,
    is_empty,
    to_text,
    to_value,
)
from submissions.fields.services import AnswerInput
from submissions.models import FieldAnswer, Submission, SubmissionField


class FieldDefinitionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Options",
        required=False,
        widget=Textarea(attrs={"rows": 4}),
        help_text="For a choice field: one option per line. Taking an option off "
        "keeps the answers that chose it.",
    )

    class Meta:
        model = SubmissionField
        fields = [
            "label",
            "slug",
            "kind",
            "help_text",
            "required",
            "stage",
            "visibility",
            "condition_field",
            "condition_value",
        ]
        labels = {
            "condition_field": "Ask only when",
            "condition_value": "is answered",
        }
        help_texts = {
            "condition_value": "e.g. yes, or one of its options.",
            "visibility": "Reviewers' free-text answers are scanned for the "
            "authors' names, emails and affiliations, like the PDF.",
        }

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.conference = conference
        others = SubmissionField.objects.for_conference(conference).active()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
        self.fields["condition_field"].queryset = others
        self.fields["condition_field"].empty_label = "— always ask —"
        self.fields["condition_field"].required = False

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        taken = SubmissionField.objects.filter(
            conference=self.instance.conference, slug=slug
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                "Another field (maybe an archived one) has this short name."
            )
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        lines = (cleaned.get("choices_text") or "").splitlines()
        self.instance.choices = [line.strip() for line in lines if line.strip()]
        if cleaned.get("kind") in (Kind.CHOICE, Kind.CHOICES) and not (
            self.instance.choices
        ):
            self.add_error("choices_text", "A choice field needs its options.")
        return cleaned


class AnswersForm(forms.Form):
    """The custom fields of one stage, for one submission. Every field is
    optional while a draft is saved; `submitting` requires the required fields
    that are asked. A conditional field is asked when the answer it depends on
    (as typed in the same form, or stored) says so."""

    prefix = "answers"

    def __init__(
        self,
        *args: Any,
        fields: list[SubmissionField],
        answers: dict[int, FieldAnswer] | None = None,
        submitting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.custom_fields = fields
        self.answers = answers or {}
        self.submitting = submitting
        for field in fields:
            answer = self.answers.get(field.pk)
            stored = answer.value if answer is not None else None
            self.fields[field.slug] = form_field(field, stored=stored)
            self.fields[field.slug].custom = field  # type: ignore[attr-defined]
            self.fields[field.slug].stored_name = (  # type: ignore[attr-defined]
                answer.file_name if answer is not None else ""
            )
            self.initial.setdefault(field.slug, initial_of(field, answer))

    @property
    def error_count(self) -> int:
        return sum(len(errors) for errors in self.errors.values())

    def stored_texts(self) -> dict[int, str]:
        return {pk: answer.text for pk, answer in self.answers.items()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        texts = self.stored_texts()
        for field in self.custom_fields:
            if field.kind == Kind.FILE or field.slug not in cleaned:
                continue
            value = cleaned[field.slug]
            texts[field.pk] = (
                "" if is_empty(value) else to_text(field, to_value(field, value))
            )
        if not self.submitting:
            return cleaned
        for field in self.custom_fields:
            if not field.required or not is_asked(field, texts):
                continue
            value = cleaned.get(field.slug)
            if field.kind == Kind.FILE:
                has_file = bool(value) or (value is None and field.pk in self.answers)
                if not has_file:
                    self.add_error(field.slug, "This question needs a file.")
            elif is_empty(value) and field.slug not in self.errors:
                self.add_error(field.slug, "This question needs an answer.")
        return cleaned

    def inputs(self) -> list[AnswerInput]:
        """The cleaned answers, for `services.save_answers`."""
        found = []
        for field in self.custom_fields:
            value = self.cleaned_data.get(field.slug)
            if field.kind == Kind.FILE:
                found.append(AnswerInput(field, value or None, clear=value is False))
            else:
                found.append(AnswerInput(field, value))
        return found

    def condition_of(self, slug: str) -> str:
        """'Only if “Student first author” is yes.' for the template."""
        field = self.fields[slug].custom  # type: ignore[attr-defined]
        condition = field.condition_field
        if condition is None or condition.is_archived:
            return ""
        return f"Only if “{condition.label}” is {field.condition_value}."


def answers_form(
    submission: Submission | None,
    conference: Conference,
    *,
    stage: str = SubmissionField.Stage.SUBMISSION,
    data: Any = None,
    files: Any = None,
    submitting: bool = False,
    disabled: bool = False,
) -> AnswersForm:
    """The answers form of `stage` for a submission (None: a new one), with its
    stored answers as initial values. Two queries."""
    fields = list(
        SubmissionField.objects.for_conference(conference)
        .asked_at(stage)
        .select_related("condition_field")
    )
    answers = {}
    if submission is not None and submission.pk:
        answers = {
            answer.field_id: answer
            for answer in FieldAnswer.objects.filter(
                submission=submission, field__in=fields
            )
        }
    form = AnswersForm(
        data, files, fields=fields, answers=answers, submitting=submitting
    )
    if disabled:
        for field in form.fields.values():
            field.disabled = True
    return form

"""What an answer of each kind is: the form field that asks it, its value as
stored (JSON) and as text, and whether a conditional field is asked."""

from decimal import Decimal
from typing import Any

from django import forms

from haet.widgets import Textarea
from submissions.models import FieldAnswer, SubmissionField

Kind = SubmissionField.Kind
YES_NO = [("yes", "Yes"), ("no", "No")]
CHOICE_SEPARATOR = "; "
MAX_FILE_BYTES = 10 * 1024 * 1024
OLD_CHOICE = "{} (no longer offered)"


def form_field(field: SubmissionField, *, stored: Any = None) -> forms.Field:
    """The form field asking `field`. Never required at the form level: the
    answers form decides (a draft may leave it empty, a hidden conditional field
    is not asked). A stored choice no longer offered stays selectable, so editing
    the form later never loses it."""
    common: dict[str, Any] = {
        "label": field.label,
        "help_text": field.help_text,
        "required": False,
    }
    options = [(choice, choice) for choice in field.choices]
    kept = stored if isinstance(stored, list) else [stored]
    for value in kept:
        if isinstance(value, str) and value and value not in field.choices:
            options.append((value, OLD_CHOICE.format(value)))
    if field.kind == Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if field.kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—"), *options], widget=forms.Select, **common
        )
    if field.kind == Kind.CHOICES:
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if field.kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=300, **common)
    if field.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=5000, widget=Textarea(attrs={"rows": 4}), **common
        )
    if field.kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=15, decimal_places=4, **common)
    if field.kind == Kind.URL:
        return forms.URLField(max_length=500, assume_scheme="https", **common)
    # A plain file input: private files have no URL for ClearableFileInput to show.
    return forms.FileField(widget=forms.FileInput, **common)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def to_value(field: SubmissionField, cleaned: Any) -> Any:
    """The form's cleaned value as stored in `FieldAnswer.value` (JSON)."""
    if field.kind == Kind.YES_NO:
        return cleaned is True or cleaned == "yes"
    if field.kind == Kind.NUMBER:
        return float(cleaned) if isinstance(cleaned, Decimal | str | int) else cleaned
    if field.kind == Kind.CHOICES:
        return list(cleaned)
    return cleaned


def to_text(field: SubmissionField, value: Any) -> str:
    """How lists, searches, placeholders and exports write a stored value."""
    if value is None:
        return ""
    if field.kind == Kind.YES_NO:
        return "yes" if value else "no"
    if field.kind == Kind.CHOICES:
        return CHOICE_SEPARATOR.join(str(v) for v in value)
    if field.kind == Kind.NUMBER:
        return f"{value:g}" if isinstance(value, int | float) else str(value)
    return str(value)


def initial_of(field: SubmissionField, answer: FieldAnswer | None) -> Any:
    """The stored answer as the form shows it again."""
    if answer is None:
        return None
    if field.kind == Kind.YES_NO:
        return "yes" if answer.value else "no"
    if field.kind == Kind.FILE:
        return None  # a file input cannot be refilled; the page names the stored one
    return answer.value


def matches(value_text: str, field: SubmissionField, expected: str) -> bool:
    """Does an answer (as text) satisfy "field == expected"? For several choices:
    one of them is `expected`. Case and surrounding spaces do not count."""
    expected = expected.strip().casefold()
    if field.kind == Kind.CHOICES:
        parts = [p.strip().casefold() for p in value_text.split(CHOICE_SEPARATOR)]
        return expected in parts
    return value_text.strip().casefold() == expected


def is_asked(field: SubmissionField, texts: dict[int, str]) -> bool:
    """Whether `field` is asked, given the other answers as text ({field id:
    text}). A condition on an archived field is ignored (asked)."""
    condition = field.condition_field
    if condition is None or condition.is_archived:
        return True
    return matches(texts.get(condition.pk, ""), condition, field.condition_value)

from django import forms
from django.core.exceptions import ValidationError

from haet.outbox.models import OutboxMail, parse_offsets
from haet.widgets import Textarea


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "All"), *OutboxMail.Status.choices], required=False
    )
    q = forms.CharField(label="Search", required=False, max_length=200)


class EditMailForm(forms.Form):
    subject = forms.CharField(max_length=300)
    body_text = forms.CharField(
        label="Text",
        widget=Textarea(attrs={"rows": 18}),
        help_text="The HTML part is rebuilt from this text when you save.",
    )


class ReminderSettingForm(forms.Form):
    enabled = forms.BooleanField(required=False)
    offsets = forms.CharField(
        required=False,
        max_length=200,
        help_text="e.g. “-7d, -1d, -3h” before the deadline, “+1d, +2d” after it. "
        "Blank: the default steps.",
    )

    def clean_offsets(self):
        text = self.cleaned_data["offsets"]
        try:
            return parse_offsets(text) or None
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class MailPreferencesForm(forms.Form):
    """One checkbox per registered non-essential kind of mail."""

    def __init__(self, *args, preferences: dict[str, str], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in preferences.items():
            self.fields[key] = forms.BooleanField(
                label=label, required=False, initial=current.get(key, True)
            )

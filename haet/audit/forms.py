from typing import Any

from django import forms

from haet.audit.queries import Filters, visible_submission_id


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label="Action")
    actor = forms.CharField(required=False, max_length=200, label="Who (name or email)")
    submission = forms.IntegerField(
        required=False, min_value=1, label="Submission number"
    )
    since = forms.DateField(required=False, label="From (UTC date)")
    until = forms.DateField(required=False, label="Until (UTC date)")

    def __init__(self, *args: Any, user: Any, actions: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [("", "Any action"), *((a, a) for a in actions)]
        self.fields["action"].choices = choices  # type: ignore[attr-defined]
        for field in ("since", "until"):
            self.fields[field].widget = forms.DateInput(attrs={"type": "date"})
        self.submission_id: int | None = None

    def clean_submission(self) -> int | None:
        number = self.cleaned_data["submission"]
        if number is None:
            return None
        # Same words for a missing and a hidden submission: the answer must not
        # tell a conflicted chair that their submission exists.
        self.submission_id = visible_submission_id(self.user, number)
        if self.submission_id is None:
            raise forms.ValidationError(f"There is no submission #{number} to show.")
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return cleaned

    def filters(self) -> Filters:
        """What to filter by; nothing when the form has errors (the page says so
        and shows the whole log rather than a wrong part of it)."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            action=data["action"] or "",
            actor=(data["actor"] or "").strip(),
            submission_id=self.submission_id,
            since=data["since"],
            until=data["until"],
        )

from django import forms

from campaigns.audiences import recipient_kinds
from campaigns.composing import Draft
from haet.widgets import Textarea


class ComposeForm(forms.Form):
    """The composer. `token` names this composition: queueing it twice (a double
    click, a retried POST) finds the first campaign. `fingerprint` is what the
    last preview showed."""

    recipients = forms.ChoiceField(label="Recipients", widget=forms.RadioSelect)
    q = forms.CharField(
        label="Submissions (search)",
        required=False,
        max_length=1000,
        help_text="Which submissions' authors or reviewers: the search language of "
        "the submissions list, e.g. status:submitted decision:accept. Ignored for "
        "jurors, the committee and invitees.",
    )
    subject = forms.CharField(max_length=300)
    body = forms.CharField(label="Text", widget=Textarea(attrs={"rows": 14}))
    is_essential = forms.BooleanField(
        label="Essential: sent regardless of mail preferences",
        required=False,
        help_text="Leave unticked for announcements: people who turned the chairs' "
        "announcements off in their mail settings are skipped.",
    )
    is_held = forms.BooleanField(
        label="Hold the mails in the outbox until I release them",
        required=False,
    )
    # Given by the first preview (a GET page carries none: it would differ on
    # every load, for nothing).
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [
            (kind.key, kind.label) for kind in recipient_kinds()
        ]

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            recipients=data["recipients"],
            search=data["q"].strip(),
            subject=" ".join(data["subject"].split()),
            body=data["body"].replace("\r\n", "\n").strip() + "\n",
            is_essential=data["is_essential"],
            is_held=data["is_held"],
        )

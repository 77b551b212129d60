"""Forms of delegation and emergency reviewers: they validate, services decide."""

from django import forms

from haet.widgets import Textarea
from reviews.delegation import MAX_COMMENT_LENGTH


class ProposeDelegateForm(forms.Form):
    name = forms.CharField(max_length=200, label="The delegate's name")
    email = forms.EmailField(label="The delegate's email")


class DelegationCommentForm(forms.Form):
    body = forms.CharField(
        label="Your note",
        max_length=MAX_COMMENT_LENGTH,
        widget=Textarea(attrs={"rows": 3}),
    )


class EmergencyInviteForm(forms.Form):
    reviewer = forms.TypedChoiceField(coerce=int, label="Reviewer")
    due_at = forms.DateTimeField(
        label="Due (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="The review's own deadline, in UTC.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Someone asked already has their answer pending or given: not again.
        self.fields["reviewer"].choices = [
            (c.user_id, f"{c.name} ({c.email})")
            for c in candidates
            if not c.invitation_status
        ]

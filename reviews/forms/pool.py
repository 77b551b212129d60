"""Forms of the reviewer pool: invite, decline an invitation, the profile."""

from django import forms

from haet.fields import ModelMultipleChoiceField
from haet.models import Topic
from haet.widgets import Textarea
from reviews.models import (
    ReviewerProfile,
)


class InviteForm(forms.Form):
    email = forms.EmailField(required=False, label="Email")
    name = forms.CharField(max_length=200, required=False, label="Name (optional)")
    pasted = forms.CharField(
        required=False,
        label="Or paste a list",
        widget=Textarea(attrs={"rows": 5}),
        help_text="One person a line: “Jane Doe &lt;jane@uni.edu&gt;” or just "
        "the address.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("pasted", "").strip():
            raise forms.ValidationError("Give an address or paste a list.")
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        required=False,
        label="Reason (optional)",
        widget=Textarea(attrs={"rows": 2}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ReviewerProfile
        fields = [
            "topics",
            "keywords",
            "own_publications",
            "institution_domains",
            "max_assignments",
        ]
        field_classes = {"topics": ModelMultipleChoiceField}
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "own_publications": Textarea(attrs={"rows": 8}),
            "institution_domains": Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "own_publications": "Titles and abstracts of a few of your own papers, one "
            "paper per paragraph (a blank line between papers): each is compared "
            "with the submissions on its own. Or upload your publication list "
            "on the “Your publications” page.",
        }

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(conference=conference)
        self.fields["topics"].required = False
        self.fields["max_assignments"].widget.attrs["min"] = 1

    def clean_institution_domains(self):
        text = self.cleaned_data["institution_domains"]
        domains = ReviewerProfile(institution_domains=text).domains
        return "\n".join(sorted(domains))

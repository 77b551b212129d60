"""The chairs' review settings form."""

from django import forms

from haet.widgets import Textarea
from reviews.models import (
    ReviewSettings,
)


class ReviewSettingsForm(forms.ModelForm):
    # Not stripped: the stored list ends with a newline, and saving the form
    # unchanged must change nothing (tests/test_forms_roundtrip.py).
    public_mail_domains = forms.CharField(
        strip=False,
        widget=Textarea(attrs={"rows": 8}),
        help_text=ReviewSettings._meta.get_field("public_mail_domains").help_text,
    )

    class Meta:
        model = ReviewSettings
        fields = [
            "reviewers_per_submission",
            "default_max_load",
            "weight_bid",
            "weight_topic",
            "weight_text",
            "reviewers_see_other_reviews",
            "reviewers_see_reviewer_names",
            "authors_see_reviews",
            "is_discussion_open",
            "delegation_needs_approval",
            "public_mail_domains",
        ]

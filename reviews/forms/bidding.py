"""The form of one bid."""

from django import forms

from reviews.models import (
    Bid,
)


class BidForm(forms.Form):
    value = forms.ChoiceField(choices=Bid.Value.choices)

from django import forms

from api.tokens import scopes_for
from haet.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “my review script”."
    )
    scope = forms.ChoiceField(help_text="What the token may read; never write.")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes_for(user)

"""Forms of the tags page and of bulk tagging from a search."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from submissions.models import SavedSearch, Tag


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "colour", "visibility"]
        help_texts = {
            "name": "Letters, digits, '-', '_' and '.', e.g. needs-4th-review.",
            "visibility": "Reviewers see only tags marked for them, and only on "
            "submissions they review.",
        }


class TagChangeForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["colour", "visibility"]


class SavedSearchForm(forms.ModelForm):
    auto_tag = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        required=False,
        label="Automatic tag",
        help_text="Optional: this tag is then on exactly the submissions the search "
        "finds, kept up to date (it cannot be added by hand).",
    )

    class Meta:
        model = SavedSearch
        fields = ["name", "query", "shared", "auto_tag"]
        widgets = {"query": forms.TextInput(attrs={"maxlength": 1000})}
        labels = {"shared": "Shared with the other chairs"}

    def __init__(
        self, *args: Any, tags: QuerySet[Tag] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["auto_tag"])
        field.queryset = tags if tags is not None else Tag.objects.none()


class BulkTagForm(forms.Form):
    ADD, REMOVE = "add", "remove"

    tag = forms.ModelChoiceField(queryset=Tag.objects.none(), label="Tag")
    action = forms.ChoiceField(
        choices=[(ADD, "Add to all found"), (REMOVE, "Remove from all found")],
        initial=ADD,
    )
    q = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)

    def __init__(
        self, *args: Any, tags: QuerySet[Tag] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["tag"])
        field.queryset = tags if tags is not None else Tag.objects.none()

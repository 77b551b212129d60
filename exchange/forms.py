"""The chairs' import and retention forms."""

from django import forms

from exchange.imports.decision_plan import parse_decision_map
from exchange.imports.planning import parse_topic_map
from exchange.models import ImportedSubmission, RetentionPolicy
from haet.widgets import Textarea


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label="Exported from", choices=ImportedSubmission.Source.choices
    )
    files = MultipleFileField(
        label="Export file(s)",
        required=False,
        help_text="CMT: the submissions export (Excel or tab-delimited; and the "
        "reviews export). EasyChair: "
        "submission.csv and author.csv (and submission_topic.csv; review.csv with "
        "committee.csv; metareview.csv), or the Excel workbook. HotCRP: the paper "
        "JSON (and the reviews CSV). OpenReview: the notes JSON.",
    )
    pdfs = MultipleFileField(
        label="PDFs (optional)",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf"}),
        help_text="Named as in the export, or <id>.pdf.",
    )
    topic_map = forms.CharField(
        label="Topic map",
        required=False,
        widget=Textarea(attrs={"rows": 4}),
        help_text="One line per topic named differently: “their topic = our topic”.",
    )
    decision_map = forms.CharField(
        label="Decision map",
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        help_text="The file's decisions come in unreleased. One line per decision "
        "this site does not read as you mean: “their decision = Accept (oral)”, "
        "“Accept (poster)”, “Reject”, “Desk reject” or “undecided”.",
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_decision_map(self) -> str:
        text = self.cleaned_data["decision_map"]
        _mapping, bad = parse_decision_map(text)
        if bad:
            raise forms.ValidationError(
                f"Write each line as “their decision = our outcome” (Accept (oral), "
                f"Accept (poster), Reject, Desk reject or undecided): “{bad[0]}” "
                "is not."
            )
        return text

    def clean_topic_map(self) -> str:
        text = self.cleaned_data["topic_map"]
        _mapping, bad = parse_topic_map(text)
        if bad:
            raise forms.ValidationError(
                f"Write each line as “their topic = our topic”: “{bad[0]}” is not."
            )
        return text

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not cleaned.get("token"):
            self.add_error("files", "Choose the export file(s) to import.")
        return cleaned


class ReviewerImportForm(forms.Form):
    file = forms.FileField(
        label="Reviewer list",
        required=False,
        help_text="CSV (comma or semicolon), tab-delimited or Excel with the columns "
        "name, email, affiliation, topics (separated by “;”) and load.",
    )
    role = forms.ChoiceField(
        label="Invite them as",
        choices=[("reviewers", "reviewers"), ("area-chairs", "area chairs")],
        initial="reviewers",
        required=False,
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("token"):
            self.add_error("file", "Choose the reviewer list.")
        return cleaned


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = [
            "months_after_workshop",
            "purge_rejected",
            "purge_withdrawn",
            "purge_reviewer_copies",
        ]

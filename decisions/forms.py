"""Forms of the decisions pages: they validate and hand cleaned data to services."""

from datetime import datetime

from django import forms

from decisions.models import DECISION_STATES, Outcome
from decisions.services import (
    PLACEHOLDERS,
    CameraReadyData,
    unknown_placeholders,
)
from submissions.arxiv import clean_arxiv_url
from submissions.forms import ExtensionForm  # noqa: F401 - the same form, re-exported

CLEAR = "clear"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[*Outcome.choices, (CLEAR, "Undecided (clear)")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for a desk reject; the authors read it in the mail.",
    )
    confirm_correction = forms.BooleanField(
        required=False,
        label="The decision was already sent: mail the authors a correction",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == Outcome.DESK_REJECT
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", "A desk reject needs its reason.")
        return data


class BulkDecisionForm(DecisionForm):
    numbers = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"].choices = [(n, f"#{n}") for n in numbers]
        self.fields["numbers"].error_messages["required"] = (
            "Select the submissions to decide first."
        )
        self.fields["outcome"].choices = Outcome.choices
        self.fields["outcome"].widget = forms.Select()


class FilterForm(forms.Form):
    """The dashboard's GET parameters; every field optional."""

    q = forms.CharField(required=False, label="Title")
    topic = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Topic"
    )
    decision = forms.ChoiceField(
        required=False, choices=[("", "Any decision"), *DECISION_STATES]
    )
    reviews = forms.ChoiceField(
        required=False,
        label="Reviews",
        choices=[
            ("", "Any review status"),
            ("none", "No review yet"),
            ("partial", "Some reviews missing"),
            ("complete", "All reviews in"),
        ],
    )
    flag = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any flags"),
            ("over_length", "Over length"),
            ("identity", "Identity warning"),
            ("late", "Late"),
            ("disputed", "Strong disagreement"),
            ("nominated", "Award nominations"),
        ],
    )
    blind = forms.BooleanField(required=False, label="Hide authors")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic")] + [
            (t.pk, t.name) for t in topics
        ]


class MailTemplateForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}))

    def clean(self):
        data = super().clean()
        unknown = unknown_placeholders(data.get("subject", "") + data.get("body", ""))
        if unknown:
            raise forms.ValidationError(
                "Unknown placeholders: "
                + ", ".join("{{ %s }}" % u for u in unknown)  # noqa: UP031
                + ". Known: "
                + ", ".join(PLACEHOLDERS)
                + "."
            )
        return data


class CameraReadyAuthorForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    affiliation = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)


CameraReadyAuthorFormSet = forms.formset_factory(
    CameraReadyAuthorForm, extra=1, max_num=30
)

PROCEEDINGS_CHOICES = [
    ("yes", "Include the paper (its PDF) in the workshop proceedings"),
    ("no", "Do not include it (non-archival: only title and authors are listed)"),
]
LICENCE = (
    "Copyright stays with the authors. We grant the workshop a non-exclusive "
    "licence to publish this version in the proceedings and on the workshop's "
    "website."
)


class CameraReadyForm(forms.Form):
    title = forms.CharField(max_length=250, label="Final title")
    proceedings = forms.ChoiceField(
        choices=PROCEEDINGS_CHOICES, widget=forms.RadioSelect, label="Proceedings"
    )
    copyright_accepted = forms.BooleanField(
        required=False, label="I accept the licence to publish", help_text=LICENCE
    )
    # A CharField: a bare identifier (2206.01234) is welcome too; clean_arxiv_url
    # keeps only arXiv's own identifiers, as the canonical address.
    arxiv_url = forms.CharField(
        required=False,
        max_length=200,
        label="arXiv link (optional)",
        help_text="e.g. https://arxiv.org/abs/2206.01234 or 2206.01234",
    )
    pdf = forms.FileField(
        required=False,
        label="Camera-ready PDF",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_arxiv_url(self) -> str:
        return clean_arxiv_url(self.cleaned_data["arxiv_url"])

    def data_with(self, authors: list[dict]) -> CameraReadyData:
        data = self.cleaned_data
        return CameraReadyData(
            title=data["title"],
            authors=authors,
            include_in_proceedings=data["proceedings"] == "yes",
            copyright_accepted=data["copyright_accepted"],
            arxiv_url=data.get("arxiv_url") or "",
        )


class PresentationForm(forms.Form):
    kind = forms.ChoiceField(choices=[("slides", "Slides"), ("poster", "Poster")])
    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


class ScheduleReleaseForm(forms.Form):
    """When to release the previewed decisions, typed in the conference's zone."""

    # ISO in the value: a date input shows nothing for a localised date.
    day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    clock = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, conference, initial_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        zone = conference.time_zone
        self.fields["day"].help_text = f"In the conference's zone, {zone}."
        if initial_at is not None:
            local = initial_at.astimezone(conference.tzinfo)
            self.fields["day"].initial = local.date()
            self.fields["clock"].initial = local.time().replace(second=0)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("clock"):
            data["release_at"] = datetime.combine(
                data["day"], data["clock"], self.conference.tzinfo
            )
        return data

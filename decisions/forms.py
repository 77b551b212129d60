"""Forms of the decisions pages: they validate and hand cleaned data to services."""

from django import forms

from decisions.mail_templates import PLACEHOLDERS, unknown_placeholders
from decisions.models import DECISION_STATES, Outcome
from haet import deadlines
from haet.widgets import Textarea

CLEAR = "clear"
CHOOSE_DECISION = "Choose a decision…"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[*Outcome.choices, (CLEAR, "Undecided (clear)")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 3}),
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
    """One outcome for the selected submissions. There is no default outcome: the
    chair chooses one, then confirms on a page naming the submissions
    (`confirmed` is only set by that page's button)."""

    numbers = forms.TypedMultipleChoiceField(coerce=int, choices=())
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"].choices = [(n, f"#{n}") for n in numbers]
        self.fields["numbers"].error_messages["required"] = (
            "Select the submissions to decide first."
        )
        self.fields["outcome"].choices = [("", CHOOSE_DECISION), *Outcome.choices]
        self.fields["outcome"].error_messages["required"] = "Choose a decision first."
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
            ("no_meta_review", "No meta-review (when required)"),
            ("nominated", "Award nominations"),
        ],
    )
    blind = forms.BooleanField(required=False, label="Hide authors")
    # The submissions search language (submissions.search), e.g. a saved search.
    search = forms.CharField(required=False, max_length=1000, label="Search")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic")] + [
            (t.pk, t.name) for t in topics
        ]


class MailTemplateForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=Textarea(attrs={"rows": 14}))

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


class ScheduleReleaseForm(forms.Form):
    """When to release the previewed decisions, typed in the conference's zone."""

    day = deadlines.day_field()
    clock = deadlines.clock_field(label="Time")

    def __init__(self, *args, conference, initial_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["day"].help_text = deadlines.zone_note(conference)
        if initial_at is not None:
            day, clock = deadlines.local_parts(initial_at, conference)
            self.fields["day"].initial = day
            self.fields["clock"].initial = clock

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("clock"):
            data["release_at"] = deadlines.combine(
                data["day"], data["clock"], self.conference
            )
        return data

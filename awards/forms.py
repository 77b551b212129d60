"""Forms of the awards pages. They parse; the service modules (`awards.entering`,
...) decide (units, the deadline, eligibility) and their ValidationErrors are
shown on the fields."""

from datetime import time

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from awards import entry_links, units
from awards.models import AwardResult, AwardSettings, Entry, Kind
from haet import deadlines
from haet.models import AwardCategory, Conference
from haet.widgets import Textarea

User = get_user_model()


class AwardCategoryForm(forms.ModelForm):
    """What the public call for papers shows."""

    class Meta:
        model = AwardCategory
        fields = ["name", "description", "sponsor", "amount", "details", "order"]
        widgets = {
            "description": Textarea(attrs={"rows": 2}),
            "details": Textarea(attrs={"rows": 3}),
        }


class AwardSettingsForm(forms.ModelForm):
    """How the award is entered and judged; the deadline in the conference zone."""

    entry_day = deadlines.day_field(required=False, label="Entry deadline")
    entry_clock = deadlines.clock_field(
        required=False,
        label="Entry deadline time",
        initial=time(23, 59),
        help_text="The last minute entries are taken (23:59: until midnight).",
    )

    entry_option = forms.ChoiceField(
        label="Entered by the submission form",
        required=False,
        help_text="A submission field answer that enters this prize: answering it "
        "enters the submission, changing it withdraws the entry.",
    )

    class Meta:
        model = AwardSettings
        fields = ["kind", "eligibility", "rules", "metric", "judging"]
        widgets = {"rules": Textarea(attrs={"rows": 4})}

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        note = deadlines.zone_note(conference)
        self.fields["entry_day"].help_text = f"{note} Blank: no entries."
        deadline = self.instance.entry_deadline
        if deadline is not None:
            day, clock = deadlines.local_parts(deadline, conference)
            self.fields["entry_day"].initial = day
            self.fields["entry_clock"].initial = clock
        self.fields["entry_option"].choices = [
            ("", "— none —"),
            *entry_links.linkable_options(conference),
        ]
        if self.instance.entry_field is not None:
            self.fields["entry_option"].initial = entry_links.option_key(
                self.instance.entry_field, self.instance.entry_choice
            )

    def clean(self):
        data = super().clean()
        try:
            data["entry_field"], data["entry_choice"] = entry_links.parse_option(
                data.get("entry_option") or "", self.conference
            )
        except ValidationError as error:
            self.add_error("entry_option", error)
        day = data.get("entry_day")
        data["entry_deadline"] = (
            deadlines.combine(
                day, data.get("entry_clock") or time(23, 59), self.conference
            )
            if day
            else None
        )
        return data


class JuryForm(forms.Form):
    emails = forms.CharField(
        label="Jurors",
        required=False,
        widget=Textarea(attrs={"rows": 4}),
        help_text="One email address a line; any account (often reviewers). Jurors "
        "never see or score papers they are conflicted with.",
    )

    def clean_emails(self):
        wanted = [e.strip() for e in self.cleaned_data["emails"].split() if e.strip()]
        users = list(User.objects.filter(email__in=wanted))
        found = {u.email.lower() for u in users}
        # A second pass for addresses typed in another case.
        missing = [e for e in wanted if e.lower() not in found]
        for email in list(missing):
            user = User.objects.filter(email__iexact=email).first()
            if user is not None:
                users.append(user)
                missing.remove(email)
        if missing:
            raise forms.ValidationError(
                "No account for " + ", ".join(missing) + ": jurors sign up first."
            )
        return users


# --- entries -----------------------------------------------------------------------
def _unit_choices(table: dict) -> list[tuple[str, str]]:
    return [(unit, unit) for unit in table]


COMMON = ["task", "dataset", "target_metric", "target_value"]
ENERGY = ["energy_value", "energy_unit"]
POWER = ["power_value", "power_unit"]
TIME = ["time_value", "time_unit"]
FIELDS_BY_KIND = {
    Kind.ENERGY_HARDWARE: [
        *COMMON,
        "hardware_kind",
        "hardware_model",
        *ENERGY,
        *POWER,
        "throughput",
        "measurement",
        *TIME,
        "artifact_url",
        "logs_url",
        "notes",
    ],
    Kind.FASTEST_TRAINING: [
        *COMMON,
        *TIME,
        "node_count",
        "accelerators_per_node",
        "accelerator_model",
        "interconnect",
        "software_stack",
        *ENERGY,
        "code_url",
        "code_commit",
        "logs_url",
        "artifact_url",
        "notes",
    ],
}


class EntryForm(forms.Form):
    """A prize entry; which fields show depends on the prize."""

    task = forms.CharField(
        label="Training task",
        max_length=200,
        help_text="e.g. image classification, language modelling.",
    )
    dataset = forms.CharField(max_length=200, help_text="e.g. ImageNet-1k, CIFAR-10.")
    target_metric = forms.CharField(
        label="Target quality: metric",
        max_length=100,
        help_text="e.g. top-1 accuracy (%).",
    )
    target_value = forms.FloatField(
        label="Target quality: value", help_text="The quality reached, e.g. 93.0."
    )
    hardware_kind = forms.ChoiceField(
        label="Kind of hardware",
        choices=[("", "—"), *Entry.HardwareKind.choices],
        required=False,
    )
    hardware_model = forms.CharField(
        label="Process node or device model",
        max_length=200,
        required=False,
        help_text="e.g. 7 nm ASIC, Xilinx Alveo U280.",
    )
    energy_value = forms.FloatField(
        label="Energy to reach the target, per training run", required=False
    )
    energy_unit = forms.ChoiceField(
        label="Energy unit",
        choices=_unit_choices(units.ENERGY_UNITS),
        initial="kWh",
        required=False,
    )
    power_value = forms.FloatField(label="Average power", required=False)
    power_unit = forms.ChoiceField(
        label="Power unit",
        choices=_unit_choices(units.POWER_UNITS),
        initial="W",
        required=False,
    )
    throughput = forms.FloatField(
        label="Throughput (samples/s)", required=False, help_text="Training samples."
    )
    measurement = forms.ChoiceField(
        label="Measurement method",
        choices=[("", "—"), *Entry.Measurement.choices],
        required=False,
    )
    time_value = forms.FloatField(
        label="Wall-clock time to reach the target", required=False
    )
    time_unit = forms.ChoiceField(
        label="Time unit",
        choices=_unit_choices(units.TIME_UNITS),
        initial="h",
        required=False,
    )
    node_count = forms.IntegerField(label="Number of nodes", required=False)
    accelerators_per_node = forms.IntegerField(required=False)
    accelerator_model = forms.CharField(
        max_length=200, required=False, help_text="e.g. NVIDIA A100-SXM4-40GB."
    )
    interconnect = forms.CharField(
        max_length=200, required=False, help_text="e.g. InfiniBand HDR 200 Gb/s."
    )
    software_stack = forms.CharField(
        max_length=300, required=False, help_text="e.g. PyTorch 1.11, NCCL 2.12."
    )
    code_url = forms.URLField(label="Code URL", required=False, assume_scheme="https")
    code_commit = forms.CharField(label="Commit", max_length=40, required=False)
    logs_url = forms.URLField(
        label="Training logs URL", required=False, assume_scheme="https"
    )
    artifact_url = forms.URLField(
        label="Artifact URL", required=False, assume_scheme="https"
    )
    notes = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        help_text="Anything the jury needs to reproduce or check the claim.",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = FIELDS_BY_KIND.get(kind, COMMON)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    @classmethod
    def initial_from(cls, entry: Entry | None) -> dict:
        if entry is None:
            return {}
        initial = {name: getattr(entry, name) for name in cls.base_fields}
        for kind in ("energy", "power", "time"):
            if not getattr(entry, f"{kind}_unit"):
                initial.pop(f"{kind}_unit")
        return initial


# --- judging -----------------------------------------------------------------------
class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 11)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (weak) to 10 (outstanding).",
    )
    comment = forms.CharField(required=False, widget=Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    is_verified = forms.TypedChoiceField(
        choices=[("1", "Verified"), ("0", "Not verified")],
        coerce=lambda v: v == "1",
    )


class ShortlistForm(forms.Form):
    number = forms.IntegerField(label="Paper number", min_value=1)
    action = forms.ChoiceField(choices=[("add", "Add"), ("remove", "Remove")])


class ResultForm(forms.Form):
    place = forms.ChoiceField(
        choices=[("", "No award"), *AwardResult.Place.choices], required=False
    )
    citation = forms.CharField(required=False, widget=Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    is_published = forms.TypedChoiceField(
        choices=[("1", "Publish"), ("0", "Unpublish")], coerce=lambda v: v == "1"
    )


class RankForm(forms.Form):
    """A juror's ballot: a rank (1 = best) and a comment per visible paper."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            pk = candidate.submission_id
            self.fields[f"rank_{pk}"] = forms.IntegerField(
                label=f"Rank of #{candidate.number}", min_value=1, required=False
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=f"Comment on #{candidate.number}",
                required=False,
                widget=Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """(candidate, rank field, comment field) for the template."""
        return [
            (c, self[f"rank_{c.submission_id}"], self[f"comment_{c.submission_id}"])
            for c in self.candidates
        ]

    def ranks(self) -> dict[int, int | None]:
        return {
            c.submission_id: self.cleaned_data.get(f"rank_{c.submission_id}")
            for c in self.candidates
        }

    def comments(self) -> dict[int, str]:
        return {
            c.submission_id: self.cleaned_data.get(f"comment_{c.submission_id}", "")
            for c in self.candidates
        }

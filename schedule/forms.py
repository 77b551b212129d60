"""The chairs' schedule forms. Times are clock times in the venue's zone on the
workshop day; `cleaned_data` carries them as aware datetimes for the services."""

from django import forms

from haet.timezones import validate_zone
from haet.widgets import Textarea
from schedule.models import Item, Schedule, Session
from schedule.queries.editor import oral_choices
from schedule.services import at_venue
from submissions.models import Author, Submission

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ScheduleForm(forms.Form):
    venue_time_zone = forms.CharField(
        max_length=64,
        validators=[validate_zone],
        help_text="Times are entered and shown in this zone, e.g. America/New_York.",
    )
    day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class _TimedForm(forms.Form):
    start = forms.TimeField(widget=TIME)
    end = forms.TimeField(widget=TIME)

    def __init__(self, *args, schedule: Schedule, **kwargs):
        self.schedule = schedule
        super().__init__(*args, **kwargs)

    def local_time(self, at):
        return self.schedule.local(at).time() if at else None

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            data["starts_at"] = at_venue(self.schedule, data["start"])
            data["ends_at"] = at_venue(self.schedule, data["end"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", "The end must come after the start.")
        return data

    def service_arguments(self) -> dict:
        """`cleaned_data` as the service takes it: the start and end as aware
        datetimes (`starts_at`, `ends_at`), not the clock times typed in."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("start", "end")
        }


class SessionForm(_TimedForm):
    title = forms.CharField(max_length=200)
    chair_name = forms.CharField(label="Session chair", max_length=200, required=False)
    room = forms.CharField(max_length=120, required=False)
    stream_url = forms.URLField(label="Stream link", required=False)
    field_order = ["title", "start", "end", "room", "chair_name", "stream_url"]

    @classmethod
    def for_session(cls, session: Session, schedule: Schedule) -> "SessionForm":
        form = cls(schedule=schedule)
        form.initial = {
            "title": session.title,
            "chair_name": session.chair_name,
            "room": session.room,
            "stream_url": session.stream_url,
            "start": form.local_time(session.starts_at),
            "end": form.local_time(session.ends_at),
        }
        return form


class ItemForm(_TimedForm):
    kind = forms.ChoiceField(choices=Item.Kind.choices)
    title = forms.CharField(
        max_length=250, required=False, help_text="Blank for an oral: its title."
    )
    submission = forms.ModelChoiceField(
        queryset=Submission.objects.none(),
        required=False,
        help_text="Orals: an accepted oral. Blank: an empty slot for “fill orals”.",
    )
    presenter = forms.ModelChoiceField(
        queryset=Author.objects.none(),
        required=False,
        help_text="Orals: one of its authors (blank: the first author).",
    )
    speaker = forms.CharField(
        widget=Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Invited talk or panel: the speaker (a panel: one per line).",
    )
    speaker_email = forms.EmailField(required=False)
    abstract = forms.CharField(widget=Textarea(attrs={"rows": 3}), required=False)
    bio = forms.CharField(widget=Textarea(attrs={"rows": 3}), required=False)
    photo = forms.ImageField(required=False)
    video_url = forms.URLField(label="Video link", required=False)
    field_order = ["kind", "start", "end", "title", "submission", "presenter"]

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        orals = oral_choices(self.schedule, viewer=viewer)
        self.fields["submission"].queryset = orals
        self.fields["submission"].label_from_instance = lambda s: (
            f"#{s.number} {s.title[:80]}"
        )
        self.fields["presenter"].queryset = Author.objects.filter(
            submission__in=orals
        ).select_related("submission")
        self.fields["presenter"].label_from_instance = lambda a: (
            f"{a.name} (#{a.submission.number})"
        )

    @classmethod
    def for_item(cls, item: Item, schedule: Schedule, viewer) -> "ItemForm":
        form = cls(schedule=schedule, viewer=viewer)
        form.initial = {
            "kind": item.kind,
            "title": item.title,
            "submission": item.submission_id,
            "presenter": item.presenter_id,
            "speaker": item.speaker,
            "speaker_email": item.speaker_email,
            "abstract": item.abstract,
            "bio": item.bio,
            "video_url": item.video_url,
            "start": form.local_time(item.starts_at),
            "end": form.local_time(item.ends_at),
        }
        return form

    def clean(self):
        data = super().clean()
        submission, presenter = data.get("submission"), data.get("presenter")
        if data.get("kind") != Item.Kind.ORAL and submission:
            self.add_error("submission", "Only an oral has a submission.")
        if presenter and presenter.submission_id != getattr(submission, "pk", None):
            self.add_error("presenter", "The presenter must be one of its authors.")
        data["photo"] = data.get("photo") or None  # False: "clear" ticked, no file
        return data


class MoveForm(forms.Form):
    """Move an item: the form the drag-and-drop script posts too."""

    session = forms.ModelChoiceField(queryset=Session.objects.none())
    start = forms.TimeField(widget=TIME)

    def __init__(self, *args, schedule: Schedule, **kwargs):
        self.schedule = schedule
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = schedule.sessions.order_by("starts_at")

    def clean(self):
        data = super().clean()
        if data.get("start"):
            data["starts_at"] = at_venue(self.schedule, data["start"])
        return data


class FillOralsForm(forms.Form):
    order = forms.ChoiceField(
        choices=[("number", "by paper number"), ("topic", "by topic")]
    )

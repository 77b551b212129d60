"""Forms of the author response: the chairs' window and the authors' text."""

from datetime import time

from django import forms

from haet import deadlines
from haet.models import Conference
from haet.widgets import Textarea
from reviews.models import ResponseWindow
from reviews.responses import MAX_RESPONSE_CHARACTERS


class ResponseWindowForm(forms.Form):
    """The window typed in the conference's zone, like every date."""

    is_enabled = forms.BooleanField(
        required=False,
        label="Authors may respond",
        help_text="Off by default. While the window is open, authors read the "
        "reviews submitted so far and answer once per submission.",
    )
    open_day = deadlines.day_field(required=False, label="Opens on")
    open_clock = deadlines.clock_field(required=False, label="at")
    close_day = deadlines.day_field(required=False, label="Last day")
    close_clock = deadlines.clock_field(
        required=False, label="last minute", help_text="E.g. 23:59: open until 24:00."
    )
    update_day = deadlines.day_field(
        required=False,
        label="Reviewers may update their reviews until",
        help_text="Blank: three days after the window closes. Until then, "
        "reviewers who submitted a review may update it in the light of the "
        "authors' response, even after the review deadline.",
    )
    update_clock = deadlines.clock_field(
        required=False, label="last minute", help_text="Blank: 23:59."
    )
    word_limit = forms.IntegerField(min_value=1, max_value=10_000, initial=500)

    def __init__(self, *args, conference: Conference, window: ResponseWindow, **kw):
        super().__init__(*args, **kw)
        self.conference = conference
        self.fields["open_day"].help_text = deadlines.zone_note(conference)
        self.fields["is_enabled"].initial = window.is_enabled
        self.fields["word_limit"].initial = window.word_limit
        for prefix, at in (
            ("open", window.opens_at),
            ("close", window.last_minute),
            ("update", window.updates_last_minute),
        ):
            if at is not None:
                day, clock = deadlines.local_parts(at, conference)
                self.fields[f"{prefix}_day"].initial = day
                self.fields[f"{prefix}_clock"].initial = clock

    def clean(self):
        data = super().clean()
        for prefix, key, default in (
            ("open", "opens_at", time(0, 0)),
            ("close", "last_minute", time(23, 59)),
            ("update", "updates_last_minute", time(23, 59)),
        ):
            day = data.get(f"{prefix}_day")
            clock = data.get(f"{prefix}_clock") or default
            data[key] = (
                None if day is None else deadlines.combine(day, clock, self.conference)
            )
        return data


class ResponseForm(forms.Form):
    text = forms.CharField(
        label="Your response",
        required=False,
        strip=False,
        max_length=MAX_RESPONSE_CHARACTERS,
        widget=Textarea(attrs={"rows": 14, "data-markdown": "1"}),
        help_text="Markdown. Refer to your own work in the third person: "
        "reviewing is double-blind.",
    )

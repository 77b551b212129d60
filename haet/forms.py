from datetime import time

from django import forms
from django.contrib.auth import get_user_model

from haet import deadlines
from haet.models import Conference, ImportantDate, Topic
from haet.widgets import Textarea


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = [
            "name",
            "acronym",
            "host_venue",
            "tagline",
            "about",
            "website",
            "contact_email",
            "time_zone",
            "page_limit",
            "camera_ready_page_limit",
            "template_name",
            "template_url",
            "instructions",
            "scope",
            "awards_text",
            "booktitle",
        ]
        widgets = {
            "about": Textarea(attrs={"rows": 5}),
            "instructions": Textarea(attrs={"rows": 8}),
            "scope": Textarea(attrs={"rows": 4}),
            "awards_text": Textarea(attrs={"rows": 3}),
        }


class ImportantDateForm(forms.ModelForm):
    """A date typed in the conference's own zone ("27 May 2022, 23:59, UTC-11")."""

    day = deadlines.day_field()
    clock = deadlines.clock_field(
        required=False,
        label="Time",
        help_text="Leave empty for a whole day (such as the workshop itself).",
    )

    class Meta:
        model = ImportantDate
        fields = ["kind", "label", "is_public", "order"]

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["day"].help_text = deadlines.zone_note(conference)
        if self.instance.pk:
            day, clock = deadlines.local_parts(self.instance.at, conference)
            self.fields["day"].initial = day
            if self.instance.has_time:
                self.fields["clock"].initial = clock

    def clean(self):
        data = super().clean()
        day = data.get("day")
        if day is not None:
            clock = data.get("clock")
            data["at"] = deadlines.combine(day, clock or time(0, 0), self.conference)
            data["has_time"] = clock is not None
        kind = data.get("kind")
        if kind and kind != ImportantDate.Kind.OTHER:
            clash = ImportantDate.objects.filter(conference=self.conference, kind=kind)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "kind", "The conference already has a date of this kind."
                )
        return data


TopicFormSet = forms.inlineformset_factory(
    # Five empty rows: a list of 25 topics takes five saves, not twelve.
    Conference,
    Topic,
    fields=["name", "order"],
    extra=5,
    can_delete=True,
)


class RoleForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[("chair", "Chair"), ("reviewer", "Reviewer")])
    granted = forms.TypedChoiceField(
        choices=[("1", "Give"), ("0", "Take away")], coerce=lambda v: v == "1"
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                "Nobody has an account with this email yet. Reviewers join by "
                "invitation; a chair must sign up first."
            )
        self.user = user
        return email

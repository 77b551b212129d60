"""Forms of the reviews app: they validate and hand cleaned_data to a service."""

from django import forms

from haet.models import Topic, User
from reviews.conflicts import conflicted_submission_ids
from reviews.models import (
    AffinityScore,
    Bid,
    ConflictSource,
    ReviewerProfile,
    ReviewSettings,
)
from submissions.models import Submission


class InviteForm(forms.Form):
    email = forms.EmailField(required=False, label="Email")
    name = forms.CharField(max_length=200, required=False, label="Name (optional)")
    pasted = forms.CharField(
        required=False,
        label="Or paste a list",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One person a line: “Jane Doe &lt;jane@uni.edu&gt;” or just "
        "the address.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("pasted", "").strip():
            raise forms.ValidationError("Give an address or paste a list.")
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        required=False,
        label="Reason (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ReviewerProfile
        fields = [
            "topics",
            "keywords",
            "own_papers",
            "institution_domains",
            "max_papers",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "own_papers": forms.Textarea(attrs={"rows": 8}),
            "institution_domains": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(conference=conference)
        self.fields["topics"].required = False
        self.fields["max_papers"].widget.attrs["min"] = 1

    def clean_institution_domains(self):
        text = self.cleaned_data["institution_domains"]
        domains = ReviewerProfile(institution_domains=text).domains
        return "\n".join(sorted(domains))


class BidForm(forms.Form):
    value = forms.ChoiceField(choices=Bid.Value.choices)


class SubmissionNumberField(forms.IntegerField):
    """A submission by its number. Submissions in `hidden` (ids: those the acting
    chair is conflicted with) get exactly the answer of a number that does not
    exist, so the form never confirms that a hidden submission exists."""

    hidden: frozenset[int] = frozenset()

    def clean(self, value):
        number = super().clean(value)
        submission = (
            Submission.objects.filter(number=number).exclude(pk__in=self.hidden).first()
        )
        if submission is None:
            raise forms.ValidationError(f"There is no submission #{number}.")
        return submission


class PersonField(forms.EmailField):
    def clean(self, value):
        email = super().clean(value)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(f"There is no account {email}.")
        return user


class ChairSubmissionForm(forms.Form):
    """A chair's form about one submission: `user` is the acting chair, and the
    submissions they are conflicted with do not exist for the form."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields are copied per form instance: this changes only this form.
        self.fields["submission"].hidden = frozenset(conflicted_submission_ids(user))


class ConflictAddForm(ChairSubmissionForm):
    submission = SubmissionNumberField(label="Submission #", min_value=1)
    user = PersonField(label="Person (email)")
    reason = forms.CharField(max_length=500, required=False)


class ConflictWaiveForm(ChairSubmissionForm):
    submission = SubmissionNumberField(min_value=1)
    user = forms.ModelChoiceField(queryset=User.objects.all())
    source = forms.ChoiceField(choices=ConflictSource.choices)
    reason = forms.CharField(max_length=500, required=False)


class AssignForm(ChairSubmissionForm):
    submission = SubmissionNumberField(label="Submission #", min_value=1)
    reviewer = PersonField(label="Reviewer (email)")


class ProposeForm(forms.Form):
    fair = forms.BooleanField(
        required=False,
        label="Fairness: raise the worst-served submission's affinity first",
        help_text="Then the total. Slower: seconds for a workshop, up to three "
        "minutes for thousands of submissions.",
    )
    affinity_source = forms.ChoiceField(
        choices=AffinityScore.Source.choices,
        initial=AffinityScore.Source.COMPUTED,
        label="Text similarity",
        help_text="Computed here (TF-IDF of titles and abstracts against the "
        "reviewers' papers) or the scores a chair uploaded.",
    )


class AffinityUploadForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file")
    text = forms.CharField(
        required=False,
        label="Or paste the CSV",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Rows of submission number, reviewer email, score.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 20 * 1024 * 1024:
                raise forms.ValidationError("The file is larger than 20 MB.")
            try:
                data["csv"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError("The file is not UTF-8 text.") from exc
        else:
            data["csv"] = data.get("text", "")
        if not data["csv"].strip():
            raise forms.ValidationError("Upload a file or paste the scores.")
        return data


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = [
            "reviewers_per_submission",
            "default_max_load",
            "weight_bid",
            "weight_topic",
            "weight_text",
            "reviewers_see_other_reviews",
            "reviewers_see_reviewer_names",
            "authors_see_reviews",
            "is_discussion_open",
            "public_mail_domains",
        ]
        widgets = {"public_mail_domains": forms.Textarea(attrs={"rows": 8})}

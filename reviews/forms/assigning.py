"""The chairs' forms that name a submission and a person: conflicts and
assignments; and the automatic-assignment and affinity-upload forms."""

from django import forms

from haet.models import User
from haet.textfiles import decode_text
from haet.widgets import Textarea
from reviews.conflicts import conflicted_submission_ids
from reviews.models import (
    AffinityScore,
    ConflictSource,
)
from submissions.models import Submission


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
        help_text="The lowest affinity any submission gets is raised to 95% of "
        "the LP bound (no assignment can give it more), then the total affinity "
        "is maximised at that floor. Slower: seconds for a workshop, up to three "
        "minutes for thousands of submissions.",
    )
    min_load = forms.IntegerField(
        required=False,
        min_value=0,
        initial=0,
        label="Minimum load per reviewer",
        help_text="Submissions each reviewer should get (at most their own "
        "maximum). Filling every submission comes first, then these minimums "
        "(with Fairness too), then affinity; the proposal names whoever falls "
        "short, and why.",
    )
    affinity_source = forms.ChoiceField(
        choices=AffinityScore.Source.choices,
        initial=AffinityScore.Source.COMPUTED,
        label="Text similarity",
        help_text="Computed here: each reviewer's expertise from titles and "
        "abstracts, never author names (stemmed TF-IDF similarity of the "
        "submission with each of the reviewer's own papers and keywords, where "
        "the closest papers count most, plus word vectors that match related "
        "words without a shared stem; the same scorer as manage.py expertise). "
        "Or the scores a chair uploaded.",
    )


class AffinityUploadForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file")
    text = forms.CharField(
        required=False,
        label="Or paste the CSV",
        widget=Textarea(attrs={"rows": 6}),
        help_text="Rows of submission number, reviewer email, score, separated by "
        "commas, tabs or semicolons.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 20 * 1024 * 1024:
                raise forms.ValidationError("The file is larger than 20 MB.")
            data["csv"] = decode_text(upload.read())
        else:
            data["csv"] = data.get("text", "")
        if not data["csv"].strip():
            raise forms.ValidationError("Upload a file or paste the scores.")
        return data

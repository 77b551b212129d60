"""Forms validate what authors and chairs type and hand it to a service."""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from haet.models import Conference
from submissions.arxiv import clean_arxiv_url
from submissions.models import DeclaredConflict, SubmissionSettings
from submissions.services import SubmissionData, too_large_message

_DOMAIN = re.compile(
    r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$"
)


class SubmissionForm(forms.Form):
    """Everything but the authors (a formset beside it) and the files' contents."""

    title = forms.CharField(max_length=250)
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)
    keywords = forms.CharField(
        max_length=500, required=False, help_text="Separated by commas."
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="At least one.",
    )
    paper = forms.FileField(
        label="Paper (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    main_body_pages = forms.IntegerField(
        label="Last page of the main body",
        min_value=1,
        required=False,
        help_text="Only if the check cannot find where your references start: "
        "give it with the PDF. Chairs see that you stated it.",
    )
    supplementary = forms.FileField(
        label="Supplementary material (PDF or ZIP, optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.zip"}),
    )
    remove_supplementary = forms.BooleanField(
        label="Remove the supplementary material", required=False
    )
    not_accepted_at_main = forms.BooleanField(
        label="This paper has not been accepted at the main conference.",
        required=False,
    )
    include_in_proceedings = forms.TypedChoiceField(
        label="Include the paper in the workshop proceedings?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        help_text="Copyright stays with the authors.",
    )
    # A CharField: a bare identifier (2206.01234) is welcome too; clean_arxiv_url
    # stores the canonical address.
    arxiv_url = forms.CharField(
        label="arXiv link (optional)",
        required=False,
        max_length=200,
        help_text="e.g. https://arxiv.org/abs/2206.01234 or 2206.01234",
    )
    conflicts = forms.CharField(
        label="Conflicts of interest",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: a person's email address (jane@uni.edu) or an "
        "institution's domain (uni.edu). Reviewers matching them will not review "
        "this paper.",
    )

    def __init__(
        self,
        *args,
        conference: Conference,
        settings: SubmissionSettings,
        submitting: bool = False,
        refused_uploads: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.submitting = submitting
        # Files refused while they streamed (submissions.uploads): not in FILES,
        # so without this the form would save as if none had been chosen.
        self.refused_uploads = refused_uploads or {}
        self.fields["topics"].queryset = conference.topics.all()
        main = conference.host_venue.split(",")[0].strip() or "main"
        self.fields[
            "not_accepted_at_main"
        ].label = f"This paper has not been accepted at the {main} conference."
        mb = settings.max_bytes / (1024 * 1024)
        self.fields["paper"].help_text = (
            f"At most {conference.page_limit} pages of main body (references and "
            f"appendix excluded), {settings.max_pages} pages in all, {mb:g} MB; "
            "anonymous. Checked when you upload."
        )
        supplementary_mb = settings.supplementary_max_bytes / (1024 * 1024)
        self.fields["supplementary"].help_text = (
            f"At most {supplementary_mb:g} MB. Reviewers get it as uploaded, apart "
            "from its metadata (removed from a PDF; timestamps, comments and extra "
            "fields removed from a ZIP's entries), so it must be anonymous too: no "
            "names, emails or affiliations in files, file names or links. Checked "
            "when you upload."
        )

    def clean_arxiv_url(self) -> str:
        return clean_arxiv_url(self.cleaned_data["arxiv_url"])

    def clean_main_body_pages(self) -> int | None:
        pages = self.cleaned_data["main_body_pages"]
        if pages is not None and pages > self.conference.page_limit:
            raise ValidationError(
                f"The main body is limited to {self.conference.page_limit} pages "
                f"(references and appendix excluded); yours ends on page {pages}.",
                code="over_page_limit",
            )
        return pages

    def clean_conflicts(self) -> list[tuple[str, str]]:
        found, wrong = [], []
        for line in self.cleaned_data["conflicts"].splitlines():
            value = line.strip().strip(",;").lower()
            if not value:
                continue
            if "@" in value.lstrip("@"):
                try:
                    validate_email(value)
                except ValidationError:
                    wrong.append(line.strip())
                    continue
                found.append((DeclaredConflict.Kind.PERSON, value))
            else:
                domain = value.lstrip("@")
                if not _DOMAIN.match(domain):
                    wrong.append(line.strip())
                    continue
                found.append((DeclaredConflict.Kind.DOMAIN, domain))
        if wrong:
            raise ValidationError(
                "Not an email address or a domain: " + ", ".join(wrong) + "."
            )
        return list(dict.fromkeys(found))

    def clean(self):
        cleaned = super().clean()
        what = {"paper": "The PDF", "supplementary": "The supplementary file"}
        for name, refused in self.refused_uploads.items():
            if name in what:
                message = too_large_message(refused.limit, what[name])
                self.add_error(name, ValidationError(message, code="too_large"))
        if self.submitting:
            if not (cleaned.get("abstract") or "").strip():
                self.add_error("abstract", "Submitting needs the abstract.")
            if "topics" in cleaned and not cleaned["topics"]:
                self.add_error("topics", "Choose at least one topic.")
            if not cleaned.get("not_accepted_at_main"):
                self.add_error(
                    "not_accepted_at_main",
                    "Submitting needs this declaration from the call for papers.",
                )
        return cleaned


class AuthorForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    affiliation = forms.CharField(max_length=200, required=False)


class BaseAuthorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            email = form.cleaned_data["email"].lower()
            if email in seen:
                raise ValidationError(f"{email} is listed twice.")
            seen.add(email)
        if not seen:
            raise ValidationError("List at least one author.")

    @property
    def authors(self) -> list[dict]:
        """The authors in the order given (ORDER field, then position)."""
        return [
            {key: form.cleaned_data[key] for key in ("name", "email", "affiliation")}
            for form in self.ordered_forms
        ]


AuthorFormSet = forms.formset_factory(
    AuthorForm,
    formset=BaseAuthorFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def submission_data(form: SubmissionForm, authors: BaseAuthorFormSet) -> SubmissionData:
    data = form.cleaned_data
    return SubmissionData(
        title=data["title"],
        abstract=data["abstract"],
        keywords=data["keywords"],
        topics=list(data["topics"]),
        authors=authors.authors,
        not_accepted_at_main=data["not_accepted_at_main"],
        include_in_proceedings=data["include_in_proceedings"],
        arxiv_url=data["arxiv_url"],
        conflicts=data["conflicts"],
        main_body_pages=data["main_body_pages"],
    )


class ExtensionForm(forms.Form):
    """Until when one submission may still change, typed in the conference zone."""

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    clock = forms.TimeField(
        label="Last open minute",
        initial=time(23, 59),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Changes are accepted until this minute ends.",
    )
    reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields[
            "day"
        ].help_text = f"In the conference's zone, {conference.time_zone}."

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("clock"):
            last = datetime.combine(
                data["day"], data["clock"].replace(second=0), self.conference.tzinfo
            )
            # Stored as the first instant too late, like ImportantDate.closes_at.
            data["until"] = last + timedelta(minutes=1)
        return data


class SubmissionSettingsForm(forms.ModelForm):
    class Meta:
        model = SubmissionSettings
        fields = ["grace_minutes", "max_bytes", "max_pages", "supplementary_max_bytes"]

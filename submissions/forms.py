"""Forms validate what authors and chairs type and hand it to a service."""

import re
from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from haet import deadlines
from haet.fields import ModelMultipleChoiceField
from haet.models import Conference
from haet.widgets import Textarea
from haet.wording import counted
from submissions.arxiv import clean_arxiv_url
from submissions.models import DeclaredConflict, SubmissionSettings
from submissions.orcid import normalize_orcid, validate_orcid
from submissions.pdfcheck.precheck import precheck_file
from submissions.submitting import SubmissionData, asks_declaration, asks_topics
from submissions.versions import too_large_message

_DOMAIN = re.compile(
    r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$"
)


class SubmissionForm(forms.Form):
    """Everything but the authors (a formset beside it) and the files' contents."""

    title = forms.CharField(max_length=250)
    abstract = forms.CharField(widget=Textarea(attrs={"rows": 8}), required=False)
    keywords = forms.CharField(
        max_length=500, required=False, help_text="Separated by commas."
    )
    topics = ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="At least one.",
    )
    pdf = forms.FileField(
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
        widget=Textarea(attrs={"rows": 4}),
        help_text="One per line: a person's email address (jane@uni.edu) or an "
        "institution's domain (uni.edu). Reviewers matching them will not review "
        "this paper.",
    )

    def __init__(
        self,
        *args,
        conference: Conference,
        submission_settings: SubmissionSettings,
        submitting: bool = False,
        refused_uploads: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.submitting = submitting
        self.max_bytes = submission_settings.max_bytes
        # Files refused while they streamed (submissions.uploads): not in FILES,
        # so without this the form would save as if none had been chosen.
        self.refused_uploads = refused_uploads or {}
        self.fields["topics"].queryset = conference.topics.all()
        # A workshop without topics, or without a host conference, asks for
        # neither (submit_problems agrees).
        if not asks_topics(conference):
            del self.fields["topics"]
        if asks_declaration(conference):
            main = conference.host_venue.split(",")[0].strip()
            self.fields[
                "not_accepted_at_main"
            ].label = f"This paper has not been accepted at the {main} conference."
        else:
            del self.fields["not_accepted_at_main"]
        mb = submission_settings.max_bytes / (1024 * 1024)
        self.fields["pdf"].help_text = (
            f"At most {counted(conference.page_limit, 'page')} of main body "
            f"(references and appendix excluded), "
            f"{counted(submission_settings.max_pages, 'page')} in all, "
            f"{mb:g} MB; anonymous. Checked when you upload."
        )
        supplementary_mb = submission_settings.supplementary_max_bytes / (1024 * 1024)
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
        what = {"pdf": "The PDF", "supplementary": "The supplementary file"}
        for name, refused in self.refused_uploads.items():
            if name in what:
                message = too_large_message(refused.limit, what[name])
                self.add_error(name, ValidationError(message, code="too_large"))
        if self.submitting:
            if not (cleaned.get("abstract") or "").strip():
                self.add_error("abstract", "Submitting needs the abstract.")
            if "topics" in cleaned and not cleaned["topics"]:
                self.add_error("topics", "Choose at least one topic.")
            if "not_accepted_at_main" in self.fields and not cleaned.get(
                "not_accepted_at_main"
            ):
                self.add_error(
                    "not_accepted_at_main",
                    "Submitting needs this declaration from the call for papers.",
                )
        return cleaned

    def precheck_pdf(self) -> None:
        """For a form with other errors: the PDF sent is then neither stored nor
        fully checked, and the author must choose it again. The checks that need
        no parser still run on it, so a file that is no PDF at all (a .docx, a
        cut-off download) is named now, not after the rest is fixed."""
        upload = self.files.get("pdf")
        if upload is None or self.has_error("pdf"):
            return
        report = precheck_file(upload, size=upload.size, max_bytes=self.max_bytes)
        for issue in report.errors if report else []:
            self.add_error("pdf", ValidationError(issue.message, code=issue.code))


class AuthorForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    affiliation = forms.CharField(max_length=200, required=False)
    orcid = forms.CharField(
        label="ORCID iD",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "0000-0002-1825-0097"}),
    )

    def clean_orcid(self) -> str:
        """Stored as 0000-0002-1825-0097; a wrong check digit is refused."""
        value = normalize_orcid(self.cleaned_data["orcid"])
        validate_orcid(value)
        return value

    def has_changed(self) -> bool:
        """Only what the author typed counts: a blank line that the line buttons
        (or their script) merely renumbered stays a blank line, skipped."""
        return any(name in self.changed_data for name in AUTHOR_FIELDS)


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
            {key: form.cleaned_data.get(key, "") for key in AUTHOR_FIELDS}
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


AUTHOR_FIELDS = ("name", "email", "affiliation", "orcid")
MAX_AUTHOR_ROWS = AuthorFormSet.max_num  # what the formset accepts


def edit_author_rows(data, action: str, *, prefix: str = "authors"):
    """The posted form data with one author-line edit applied, for the buttons that
    work without JavaScript: "add", "remove-N", "up-N", "down-N" (N: the line's
    index as posted). Lines are taken in the order shown (their Order number, then
    position, as the formset orders them) and renumbered 1, 2, ...; nothing else
    in the data changes. An unknown action changes only the numbering."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    total = max(0, min(total, MAX_AUTHOR_ROWS))

    def position(index: int) -> tuple:
        try:
            return (0, int(data.get(f"{prefix}-{index}-ORDER") or ""), index)
        except ValueError:
            return (1, 0, index)

    order = sorted(range(total), key=position)
    rows = [
        {key: data.get(f"{prefix}-{i}-{key}", "") for key in AUTHOR_FIELDS}
        for i in order
    ]
    verb, _, number = action.partition("-")
    index = int(number) if number.isdigit() else -1
    at = order.index(index) if index in order else -1
    if verb == "add" and len(rows) < MAX_AUTHOR_ROWS:
        rows.append(dict.fromkeys(AUTHOR_FIELDS, ""))
    elif verb == "remove" and at >= 0:
        rows.pop(at)
    elif verb == "up" and at > 0:
        rows[at - 1], rows[at] = rows[at], rows[at - 1]
    elif verb == "down" and 0 <= at < len(rows) - 1:
        rows[at + 1], rows[at] = rows[at], rows[at + 1]
    if not rows:
        rows.append(dict.fromkeys(AUTHOR_FIELDS, ""))
    edited = data.copy()
    for key in list(edited):
        if key.startswith(f"{prefix}-") and key[len(prefix) + 1 :][:1].isdigit():
            del edited[key]
    for i, row in enumerate(rows):
        for key, value in row.items():
            edited[f"{prefix}-{i}-{key}"] = value
        edited[f"{prefix}-{i}-ORDER"] = str(i + 1)
    edited[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    edited[f"{prefix}-INITIAL_FORMS"] = "0"
    return edited


def submission_data(form: SubmissionForm, authors: BaseAuthorFormSet) -> SubmissionData:
    data = form.cleaned_data
    return SubmissionData(
        title=data["title"],
        abstract=data["abstract"],
        keywords=data["keywords"],
        topics=list(data.get("topics") or []),
        authors=authors.authors,
        not_accepted_at_main=data.get("not_accepted_at_main", False),
        include_in_proceedings=data["include_in_proceedings"],
        arxiv_url=data["arxiv_url"],
        conflicts=data["conflicts"],
        main_body_pages=data["main_body_pages"],
    )


class ExtensionForm(forms.Form):
    """Until when one submission may still change, typed in the conference zone."""

    day = deadlines.day_field()
    clock = deadlines.clock_field(
        label="Last open minute",
        initial=time(23, 59),
        help_text="Changes are accepted until this minute ends.",
    )
    reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["day"].help_text = deadlines.zone_note(conference)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("clock"):
            last = deadlines.combine(data["day"], data["clock"], self.conference)
            # Stored as the first instant too late, like ImportantDate.closes_at.
            data["until"] = deadlines.end_of_minute(last)
        return data


class SubmissionSettingsForm(forms.ModelForm):
    class Meta:
        model = SubmissionSettings
        fields = ["grace_minutes", "max_bytes", "max_pages", "supplementary_max_bytes"]

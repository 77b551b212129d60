"""The reviewer's uploads for their profile papers: a publication list, or PDFs
of their own papers."""

from django import forms

from reviews.expertise_pdfs import MAX_FILES
from reviews.expertise_sources import MAX_BYTES
from reviews.models import ReviewerPublication
from submissions.versions import too_large_message

LIST_KINDS = [
    (value, label)
    for value, label in ReviewerPublication.Source.choices
    if value != ReviewerPublication.Source.PDF
]


class PublicationUploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=LIST_KINDS,
        label="Kind of file",
        help_text="BibTeX from a reference manager, Google Scholar, DBLP or ORCID "
        "(“Export … BibTeX”); DBLP's XML (dblp.org/pid/….xml); ORCID's works "
        "JSON. Uploading the same kind again replaces those papers.",
    )
    file = forms.FileField(label="File")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        return upload.read()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (Django's documented way)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise forms.ValidationError(
                    self.error_messages["required"], code="required"
                )
            return []
        single = super().clean
        return [single(f, initial) for f in files]


class PublicationPdfUploadForm(forms.Form):
    pdfs = MultipleFileField(
        label="PDFs of your papers",
        help_text="Each PDF's title (from its properties or its first page) and "
        "abstract (or its first 2,000 characters) become a profile paper; the "
        "file itself is not kept. Co-authors cannot be read reliably from a PDF, "
        "so PDFs never create conflicts of interest: upload a BibTeX, DBLP or "
        "ORCID list for those. A PDF with the same file name as one uploaded "
        "before replaces it.",
    )

    def __init__(self, *args, max_bytes: int, refused_uploads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        # A file submissions.uploads stopped while it streamed in (too large):
        # reported with the others that cannot be read, not as a form error, so
        # the rest of the upload still counts.
        refused = (refused_uploads or {}).get("pdfs")
        self.too_large = (
            [(refused.file_name, too_large_message(refused.limit))] if refused else []
        )
        if self.too_large:
            self.fields["pdfs"].required = False
        self.fields["pdfs"].help_text += (
            f" At most {MAX_FILES} files at a time, "
            f"{max_bytes / (1024 * 1024):g} MB each."
        )

    def clean_pdfs(self):
        pdfs = self.cleaned_data["pdfs"]
        if len(pdfs) > MAX_FILES:
            raise forms.ValidationError(f"Upload at most {MAX_FILES} PDFs at a time.")
        return pdfs

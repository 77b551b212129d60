"""The reviewer's upload of a publication list (profile papers)."""

from django import forms

from reviews.expertise_sources import MAX_BYTES
from reviews.models import ReviewerPublication


class PublicationUploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ReviewerPublication.Source.choices,
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

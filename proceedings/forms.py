"""Forms of the camera-ready pages: they validate and hand cleaned data to services."""

from django import forms

from proceedings.camera_ready import CameraReadyData
from submissions.arxiv import clean_arxiv_url


class CameraReadyAuthorForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    affiliation = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)


MAX_AUTHOR_ROWS = 30
CameraReadyAuthorFormSet = forms.formset_factory(
    CameraReadyAuthorForm, extra=1, max_num=MAX_AUTHOR_ROWS
)

PROCEEDINGS_CHOICES = [
    ("yes", "Include the paper (its PDF) in the workshop proceedings"),
    ("no", "Do not include it (non-archival: only title and authors are listed)"),
]
LICENCE = (
    "Copyright stays with the authors. We grant the workshop a non-exclusive "
    "licence to publish this version in the proceedings and on the workshop's "
    "website."
)


class CameraReadyForm(forms.Form):
    title = forms.CharField(max_length=250, label="Final title")
    proceedings = forms.ChoiceField(
        choices=PROCEEDINGS_CHOICES, widget=forms.RadioSelect, label="Proceedings"
    )
    copyright_accepted = forms.BooleanField(
        required=False, label="I accept the licence to publish", help_text=LICENCE
    )
    # A CharField: a bare identifier (2206.01234) is welcome too; clean_arxiv_url
    # keeps only arXiv's own identifiers, as the canonical address.
    arxiv_url = forms.CharField(
        required=False,
        max_length=200,
        label="arXiv link (optional)",
        help_text="e.g. https://arxiv.org/abs/2206.01234 or 2206.01234",
    )
    pdf = forms.FileField(
        required=False,
        label="Camera-ready PDF",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_arxiv_url(self) -> str:
        return clean_arxiv_url(self.cleaned_data["arxiv_url"])

    def data_with(self, authors: list[dict]) -> CameraReadyData:
        data = self.cleaned_data
        return CameraReadyData(
            title=data["title"],
            authors=authors,
            include_in_proceedings=data["proceedings"] == "yes",
            copyright_accepted=data["copyright_accepted"],
            arxiv_url=data.get("arxiv_url") or "",
        )


class PresentationForm(forms.Form):
    kind = forms.ChoiceField(choices=[("slides", "Slides"), ("poster", "Poster")])
    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )

"""The reviewer's own publications: upload publication lists or PDFs of their
papers, see what they give."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from haet.views import NotFoundOnDeny, current_conference
from haet.wording import counted
from reviews.expertise_pdfs import import_publication_pdfs
from reviews.expertise_profile import (
    COAUTHOR_YEARS,
    delete_publications,
    import_publications,
    publication_coauthors,
)
from reviews.forms.publications import PublicationPdfUploadForm, PublicationUploadForm
from reviews.models import ReviewerPublication
from submissions.models import SubmissionSettings


def pdf_max_bytes(request) -> int:
    """A paper PDF's size limit for submissions applies to reviewers' papers."""
    conference = current_conference(request)
    return SubmissionSettings.objects.for_conference(conference).max_bytes


class PublicationsView(NotFoundOnDeny, TemplateView):
    permission_required = "reviews.edit_profile"
    template_name = "reviews/publication_list.html"

    @classmethod
    def upload_limits(cls, request) -> dict[str, int]:
        """What submissions.uploads enforces while the PDFs stream in."""
        return {"pdfs": pdf_max_bytes(request)}

    def pdf_form(self, *args) -> PublicationPdfUploadForm:
        return PublicationPdfUploadForm(
            *args,
            max_bytes=pdf_max_bytes(self.request),
            refused_uploads=getattr(self.request, "refused_uploads", None),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        coauthors = publication_coauthors({user.pk: user.name}).get(user.pk, {})
        context.update(
            form=kwargs.get("form") or PublicationUploadForm(),
            pdf_form=kwargs.get("pdf_form") or self.pdf_form(),
            refused=kwargs.get("refused", []),
            publications=ReviewerPublication.objects.filter(reviewer=user),
            coauthors=sorted(coauthors.values(), key=lambda c: (-c.year, c.name)),
            coauthor_years=COAUTHOR_YEARS,
            sources=ReviewerPublication.Source,
        )
        return context

    def post(self, request):
        if "delete" in request.POST:
            kind = request.POST["delete"]
            if kind in ReviewerPublication.Source.values:
                count = delete_publications(request.user, kind=kind)
                label = ReviewerPublication.Source(kind).label
                messages.success(
                    request, f"Removed {counted(count, 'publication')} from {label}."
                )
            return redirect("reviews:publications")
        if "upload_pdfs" in request.POST:
            return self.post_pdfs(request)
        form = PublicationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                publications = import_publications(
                    request.user, form.cleaned_data["file"], kind=kind
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                label = ReviewerPublication.Source(kind).label
                messages.success(
                    request,
                    f"Imported {counted(len(publications), 'publication')} ({label}).",
                )
                return redirect("reviews:publications")
        return self.render_to_response(self.get_context_data(form=form))

    def post_pdfs(self, request):
        form = self.pdf_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(pdf_form=form))
        result = import_publication_pdfs(
            request.user, form.cleaned_data["pdfs"], max_bytes=form.max_bytes
        )
        refused = form.too_large + result.refused
        if result.imported:
            titles = "; ".join(f"“{p.title}”" for p in result.imported)
            messages.success(
                request, f"Read {counted(len(result.imported), 'PDF')}: {titles}."
            )
        if not refused:
            return redirect("reviews:publications")
        # Shown on the page (not as a message after a redirect) so the reasons
        # stay next to the form to upload again.
        return self.render_to_response(
            self.get_context_data(pdf_form=self.pdf_form(), refused=refused)
        )

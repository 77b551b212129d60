"""The reviewer's own publications: upload publication lists, see what they give."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from haet.views import NotFoundOnDeny
from reviews.expertise_profile import (
    COAUTHOR_YEARS,
    delete_publications,
    import_publications,
    publication_coauthors,
)
from reviews.forms.publications import PublicationUploadForm
from reviews.models import ReviewerPublication


class PublicationsView(NotFoundOnDeny, TemplateView):
    permission_required = "reviews.edit_profile"
    template_name = "reviews/publication_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        coauthors = publication_coauthors({user.pk: user.name}).get(user.pk, {})
        context.update(
            form=kwargs.get("form") or PublicationUploadForm(),
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
                messages.success(request, f"Removed {count} publications from {label}.")
            return redirect("reviews:publications")
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
                    request, f"Imported {len(publications)} publications ({label})."
                )
                return redirect("reviews:publications")
        return self.render_to_response(self.get_context_data(form=form))

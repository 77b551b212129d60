"""The public accepted papers, after release, and their camera-ready PDFs."""

from django.http import FileResponse, Http404
from django.views import View
from django.views.generic import TemplateView

from haet.views import current_conference
from proceedings.queries import accepted_submissions
from submissions.fields.queries import public_answers


class AcceptedListView(TemplateView):
    """The public list of accepted papers, after release. `awards` (a list the
    awards app fills through proceedings.queries.register_award_source) appears once
    announced; the template's `awards` block is the hook."""

    template_name = "proceedings/accepted_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        accepted = accepted_submissions(conference, with_awards=True)
        # Answers to the chairs' fields marked "public after acceptance".
        shown = public_answers([p.pk for p in accepted], conference)
        for entry in accepted:
            entry.public_answers = shown.get(entry.pk, [])  # type: ignore[attr-defined]
        awards: dict[str, list] = {}
        for entry in accepted:
            for award in entry.awards:
                awards.setdefault(award, []).append(entry)
        context.update(
            accepted=accepted,
            orals=[p for p in accepted if p.is_oral],
            posters=[p for p in accepted if not p.is_oral],
            awards=list(awards.items()),
        )
        return context


class PublicPdfView(View):
    """The camera-ready PDF of a released acceptance that is in the proceedings."""

    def get(self, request, number):
        conference = current_conference(request)
        entry = next(
            (p for p in accepted_submissions(conference) if p.number == number), None
        )
        if entry is None or not (entry.include_in_proceedings and entry.has_pdf):
            raise Http404
        version = entry.camera_ready.current_version
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            filename=f"{entry.file_stem}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

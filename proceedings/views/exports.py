"""The chairs' proceedings downloads and the programme page."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from decisions.exports import export_filename
from decisions.views.dashboard import download
from haet.listing import MAX_QUERY
from haet.rules import conflicted_submission_ids
from haet.views import ChairRequiredMixin, current_conference
from proceedings import exports
from proceedings.queries import AcceptedSubmission, accepted_submissions
from submissions.fields.queries import export_columns
from submissions.models import SavedSearch, Submission
from submissions.search import SearchResult, search_submissions


def empty_reason(
    kind: str, accepted: list[AcceptedSubmission], *, searched: bool = False
) -> str:
    """Why the export of `kind` would hold nothing, or "" when it holds something:
    the exports page then offers no link, and the download URL says why instead of
    sending an empty file."""
    if not accepted and searched:
        return "The search finds no released acceptance."
    if not accepted:
        return (
            "No acceptance has been released yet: the exports list released "
            "acceptances only."
        )
    in_proceedings = [p for p in accepted if p.include_in_proceedings]
    if kind in ("bib", "zip") and not in_proceedings:
        return (
            f"None of the {len(accepted)} accepted papers is in the proceedings yet: "
            "their authors opt in on the camera-ready page."
        )
    if kind == "zip" and not any(p.has_pdf for p in in_proceedings):
        return (
            f"None of the papers in the proceedings ({len(in_proceedings)}) has its "
            "camera-ready PDF yet."
        )
    return ""


class ExportsView(ChairRequiredMixin, TemplateView):
    permission_required = "decisions.manage"
    template_name = "proceedings/exports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accepted = self.accepted()
        proceedings_count = sum(p.include_in_proceedings for p in accepted)
        pdf_count = sum(p.include_in_proceedings and p.has_pdf for p in accepted)
        context.update(
            accepted=accepted,
            orals=[p for p in accepted if p.is_oral],
            posters=[p for p in accepted if not p.is_oral],
            proceedings_count=proceedings_count,
            pdf_count=pdf_count,
            missing_pdf_count=proceedings_count - pdf_count,
            accepted_empty=empty_reason(
                "accepted.csv", accepted, searched=bool(self.q)
            ),
            bib_empty=empty_reason("bib", accepted, searched=bool(self.q)),
            zip_empty=empty_reason("zip", accepted, searched=bool(self.q)),
            q=self.q,
            search=self.search,
            saved_searches=SavedSearch.objects.visible_to(self.request.user),
        )
        return context

    search: SearchResult | None = None

    @property
    def q(self) -> str:
        return self.request.GET.get("q", "").strip()[:MAX_QUERY]

    def accepted(self):
        """Released acceptances; a conflicted chair still exports the whole list
        (what is public after release), never anything unreleased. `?q=` (the
        search language, issue 15) narrows every export to what it finds; it
        searches only what the chair may see, so a conflicted chair's filtered
        export never holds (or, by its absence, tells a score of) their own."""
        accepted = accepted_submissions(current_conference(self.request))
        if not self.q:
            return accepted
        visible = Submission.objects.filter(pk__in=[p.pk for p in accepted]).exclude(
            pk__in=conflicted_submission_ids(self.request.user)
        )
        self.search = search_submissions(visible, self.q, user=self.request.user)
        found = set(self.search.queryset.values_list("pk", flat=True))
        return [p for p in accepted if p.pk in found]


def field_columns(accepted, conference) -> exports.FieldColumns:
    """The chairs' custom fields, archived ones too (submissions.fields)."""
    return export_columns([p.pk for p in accepted], conference, audience="chairs")


class ExportView(ExportsView):
    kind = ""

    def get(self, request, *args, **kwargs):
        conference = current_conference(request)
        accepted = self.accepted()
        empty = empty_reason(self.kind, accepted, searched=bool(self.q))
        if empty:
            messages.info(request, f"Nothing to download: {empty}")
            response = redirect("decisions:exports")
            if self.q:
                response["Location"] += "?" + request.GET.urlencode()
            return response
        name = export_filename
        if self.kind == "accepted.csv":
            return download(
                exports.accepted_csv(accepted, field_columns(accepted, conference)),
                name(conference, "accepted.csv"),
                "text/csv; charset=utf-8",
            )
        if self.kind == "accepted.json":
            return download(
                exports.accepted_json(
                    accepted, conference, field_columns(accepted, conference)
                ),
                name(conference, "accepted.json"),
                "application/json",
            )
        if self.kind == "bib":
            return download(
                exports.bibtex(accepted, conference),
                name(conference, "proceedings.bib"),
                "application/x-bibtex; charset=utf-8",
            )
        if self.kind == "zip":
            response = FileResponse(
                exports.camera_ready_zip(accepted),
                as_attachment=True,
                filename=name(conference, "camera-ready.zip"),
                content_type="application/zip",
            )
            response["Cache-Control"] = "private, no-store"
            return response
        if self.kind == "programme.csv":
            return download(
                exports.programme_csv(accepted),
                name(conference, "programme.csv"),
                "text/csv; charset=utf-8",
            )
        raise Http404


class ProgrammeView(ExportsView):
    template_name = "proceedings/programme.html"

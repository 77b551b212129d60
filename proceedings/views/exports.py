"""The chairs' proceedings downloads and the programme page."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from decisions.exports import export_filename
from decisions.views.dashboard import download
from haet.views import ChairRequiredMixin, current_conference
from proceedings import exports
from proceedings.queries import AcceptedSubmission, accepted_submissions


def empty_reason(kind: str, accepted: list[AcceptedSubmission]) -> str:
    """Why the export of `kind` would hold nothing, or "" when it holds something:
    the exports page then offers no link, and the download URL says why instead of
    sending an empty file."""
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
            f"None of the {len(in_proceedings)} papers in the proceedings has its "
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
            accepted_empty=empty_reason("accepted.csv", accepted),
            bib_empty=empty_reason("bib", accepted),
            zip_empty=empty_reason("zip", accepted),
        )
        return context

    def accepted(self):
        """Released acceptances; a conflicted chair still exports the whole list
        (what is public after release), never anything unreleased."""
        return accepted_submissions(current_conference(self.request))


class ExportView(ExportsView):
    kind = ""

    def get(self, request, *args, **kwargs):
        conference = current_conference(request)
        accepted = self.accepted()
        empty = empty_reason(self.kind, accepted)
        if empty:
            messages.info(request, f"Nothing to download: {empty}")
            return redirect("decisions:exports")
        name = export_filename
        if self.kind == "accepted.csv":
            return download(
                exports.accepted_csv(accepted),
                name(conference, "accepted.csv"),
                "text/csv; charset=utf-8",
            )
        if self.kind == "accepted.json":
            return download(
                exports.accepted_json(accepted, conference),
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

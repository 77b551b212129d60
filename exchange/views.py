"""The chairs' export page and download, and everyone's "download my data"."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from exchange.exporting import ExportError, dumps, export_conference
from exchange.personal import personal_data
from exchange.schema import VERSION
from haet import clock
from haet.views import ChairRequiredMixin, current_conference


def json_download(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(dumps(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def stem(acronym: str) -> str:
    return "".join(ch for ch in acronym if ch.isalnum()) or "conference"


class ChairExportView(ChairRequiredMixin, TemplateView):
    template_name = "exchange/chair_export.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(conference=current_conference(self.request), version=VERSION)
        return context


class ChairExportDownloadView(ChairRequiredMixin, View):
    """What this chair may see: never a submission they are conflicted with."""

    def get(self, request):
        try:
            document = export_conference(viewer=request.user)
        except ExportError as error:
            return HttpResponse(str(error), status=409, content_type="text/plain")
        acronym = stem(current_conference(request).acronym)
        day = clock.now().date().isoformat()
        return json_download(document, f"{acronym}-export-{day}.json")


class MyDataView(LoginRequiredMixin, View):
    def get(self, request):
        acronym = stem(current_conference(request).acronym)
        return json_download(personal_data(request.user), f"{acronym}-my-data.json")

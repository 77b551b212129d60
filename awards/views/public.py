"""The public awards page and leaderboards (HTML, CSV, JSON, SVG).

A view parses (form), checks (rules), calls one service, renders or redirects.
Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go to the login,
except on the public pages.
"""

import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from awards.plots import Point, time_energy_svg
from awards.queries import SORTS, default_sort, leaderboard, public_awards
from awards.views.mixins import AwardMixin
from haet.views import NotFoundOnDeny, current_conference


class AwardListView(TemplateView):
    """/awards/: categories with sponsors and details (or "details coming soon");
    winners and citations once announced; links to published leaderboards."""

    template_name = "awards/award_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awards"] = public_awards(current_conference(self.request))
        return context


def leaderboard_records(rows) -> list[dict]:
    """Plain values of a leaderboard, for CSV and JSON: normalized units."""
    records = []
    for row in rows:
        e = row.entry
        records.append(
            {
                "position": row.position,
                "paper": row.number,
                "title": row.title,
                "task": e.task,
                "dataset": e.dataset,
                "target_metric": e.target_metric,
                "target_value": e.target_value,
                "hardware_kind": e.get_hardware_kind_display()
                if e.hardware_kind
                else "",
                "hardware_model": e.hardware_model,
                "time_to_target_s": e.time_s,
                "energy_to_target_j": e.energy_j,
                "average_power_w": e.power_w,
                "throughput_samples_per_s": e.throughput,
                "measurement": e.get_measurement_display() if e.measurement else "",
                "nodes": e.node_count,
                "accelerators_per_node": e.accelerators_per_node,
                "accelerator_model": e.accelerator_model,
                "interconnect": e.interconnect,
                "accelerator_hours": e.accelerator_hours,
                "implied_energy_j": e.implied_energy_j,
                "samples_per_joule": e.samples_per_joule,
                "software_stack": e.software_stack,
                "code_url": e.code_url,
                "code_commit": e.code_commit,
                "logs_url": e.logs_url,
                "artifact_url": e.artifact_url,
                "verified_by_jury": e.is_verified,
                "award": row.result.get_place_display() if row.result else "",
            }
        )
    return records


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet shows as text, never runs: "=HYPERLINK(…)" -> "'=…"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if value is None:
        return ""
    return value


class LeaderboardMixin(AwardMixin, NotFoundOnDeny):
    """Public once published; chairs and jurors see it before. Awards that take no
    entries have none."""

    permission_required = "awards.view_leaderboard"

    def has_permission(self):
        if not self.award_settings.accepts_entries:
            raise Http404
        return super().has_permission()

    def handle_no_permission(self):
        raise Http404  # an unpublished leaderboard does not exist for the public

    @cached_property
    def sort(self) -> str:
        wanted = self.request.GET.get("sort", "")
        return wanted if wanted in SORTS else default_sort(self.award_settings)

    @cached_property
    def rows(self):
        return leaderboard(self.award, sort=self.sort)


def plot_for(rows) -> str:
    points = [
        Point(
            label=f"#{row.number}",
            title=row.title,
            time_s=row.entry.time_s,
            energy_j=row.entry.energy_j,
            is_verified=row.entry.is_verified,
            is_winner=bool(row.result and row.result.is_winner),
        )
        for row in rows
        if row.entry.time_s and row.entry.energy_j
    ]
    return time_energy_svg(points, missing_count=len(rows) - len(points))


class LeaderboardView(LeaderboardMixin, TemplateView):
    template_name = "awards/leaderboard_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            award=self.award,
            award_settings=self.award_settings,
            rows=self.rows,
            sort=self.sort,
            sorts=[(key, label) for key, (_, label) in SORTS.items()],
            plot=plot_for(self.rows),
        )
        return context


class LeaderboardCsvView(LeaderboardMixin, View):
    def get(self, request, slug):
        records = leaderboard_records(self.rows)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.award_settings.slug}-leaderboard.csv"'
        )
        fields = list(records[0]) if records else ["position", "paper", "title"]
        writer = csv.DictWriter(response, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({k: csv_safe(v) for k, v in record.items()})
        return response


class LeaderboardJsonView(LeaderboardMixin, View):
    def get(self, request, slug):
        return JsonResponse(
            {
                "award": self.award.name,
                "sponsor": self.award.sponsor,
                "metric": self.award_settings.metric,
                "sort": self.sort,
                "units": {"time": "s", "energy": "J", "power": "W"},
                "entries": leaderboard_records(self.rows),
            },
            json_dumps_params={"ensure_ascii": False},
        )


class LeaderboardSvgView(LeaderboardMixin, View):
    def get(self, request, slug):
        response = HttpResponse(plot_for(self.rows), content_type="image/svg+xml")
        response["X-Content-Type-Options"] = "nosniff"
        return response

"""The chairs' audit pages: the site-wide log (search, filters, CSV) and one
submission's timeline. Chairs only; a conflicted chair sees nothing about the
submissions they are conflicted with (a timeline of one is a 404)."""

import csv
from collections.abc import Iterable

from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.views import View
from django.views.generic import TemplateView

from haet.audit.forms import LogFilterForm
from haet.audit.queries import (
    action_names,
    action_names_and_pending,
    csv_rows,
    filtered,
    rows,
    search,
    size_and_pending,
    visible_entries,
    visible_submission_id,
)
from haet.listing import Listing, Sort
from haet.views import ChairRequiredMixin

LOG_SORTS = [Sort("seq", "When", ["pk"])]  # the order of writing


def filter_form(request, actions: list[str]) -> LogFilterForm:
    return LogFilterForm(
        request.GET if request.GET else None, user=request.user, actions=actions
    )


class AuditLogView(ChairRequiredMixin, TemplateView):
    template_name = "audit/log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = visible_entries(self.request.user)
        # Pending entries (not yet sealed in the chain) are counted over the whole
        # log the chair may see, whatever the filters.
        actions, pending_count = action_names_and_pending(visible)
        form = filter_form(self.request, actions)
        entries = filtered(visible, form.filters()).select_related("actor")
        listing = Listing(
            self.request,
            LOG_SORTS,
            default="-seq",
            search_label="Search action, object or request id",
        )
        page = listing.page_queryset(entries, search)
        context.update(
            form=form,
            listing=listing,
            rows=rows(page.object_list),
            csv_query=self.request.GET.urlencode(),
            pending_count=pending_count,
        )
        return context


class _Echo:
    def write(self, value: str) -> str:
        return value


class AuditLogCsvView(ChairRequiredMixin, View):
    """The log as filtered on the page (search included), streamed."""

    def get(self, request):
        visible = visible_entries(request.user)
        form = filter_form(request, action_names(visible))
        if form.is_bound and not form.is_valid():
            # Not the whole log in place of the part that was asked for.
            problems = " ".join(
                str(error) for errors in form.errors.values() for error in errors
            )
            return HttpResponseBadRequest(
                f"Nothing exported: {problems}", content_type="text/plain"
            )
        entries = filtered(visible, form.filters())
        q = Listing(request).q
        if q:
            entries = search(entries, q)
        writer = csv.writer(_Echo())
        lines: Iterable[str] = (writer.writerow(row) for row in csv_rows(entries))
        response = StreamingHttpResponse(lines, content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


class SubmissionTimelineView(ChairRequiredMixin, TemplateView):
    template_name = "audit/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number = self.kwargs["number"]
        submission_id = visible_submission_id(self.request.user, number)
        if submission_id is None:
            raise Http404
        entries = (
            visible_entries(self.request.user)
            .about_submission(submission_id)
            .select_related("actor")
            .order_by("pk")
        )
        listing = Listing(self.request, searchable=False, per_page=200)
        size, pending_count = size_and_pending(entries)
        page = listing.paginate(entries, count=size)
        context.update(
            number=number,
            listing=listing,
            rows=rows(page.object_list),
            pending_count=pending_count,
        )
        return context

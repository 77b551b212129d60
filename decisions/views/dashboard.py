"""The chairs' acceptance table: filters, sorting, bulk decisions, its CSV."""

import gc
import uuid
from contextlib import contextmanager
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from decisions import exports
from decisions.forms import CHOOSE_DECISION, BulkDecisionForm, FilterForm
from decisions.jobs import start_bulk_decision, start_bulk_undo
from decisions.models import DECISION_LABELS, Decision, Outcome
from decisions.queries.bulk import last_bulk_change
from decisions.queries.dashboard import FLAG_LABELS, Filters, dashboard_rows, sort_rows
from decisions.queries.summary import summarize
from decisions.rendering import table_body
from decisions.views.scheduling import schedule_context
from haet.listing import Listing
from haet.models import Topic
from haet.views import ChairRequiredMixin, current_conference
from reviews.conflicts import conflicted_submission_ids
from submissions.models import SavedSearch, Submission
from submissions.search import search_submissions
from submissions.search.shown_tags import tags_by_submission

COLUMNS = [
    # (sort key, label, numeric)
    ("number", "#", True),
    ("title", "Title", False),
    ("authors", "Authors", False),
    ("topics", "Topics", False),
    ("reviews", "Reviews", True),
    ("mean", "Mean", True),
    ("min", "Min", True),
    ("max", "Max", True),
    ("weighted", "Conf.-weighted", True),
    ("spread", "Spread", True),
    ("flags", "Flags", False),
    ("nominations", "Nominations", True),
    ("decision", "Decision", False),
]


class DashboardMixin(ChairRequiredMixin):
    permission_required = "decisions.manage"

    @cached_property
    def filter_form(self) -> FilterForm:
        topics = Topic.objects.filter(conference=current_conference(self.request))
        form = FilterForm(self.request.GET or None, topics=list(topics))
        form.is_valid()
        return form

    def query(self) -> dict:
        form = self.filter_form
        data = getattr(form, "cleaned_data", {}) or {}
        return {
            "filters": Filters(
                q=data.get("q") or "",
                topic=data.get("topic"),
                decision=data.get("decision") or "",
                reviews=data.get("reviews") or "",
                flag=data.get("flag") or "",
            ),
            "blind": bool(data.get("blind")),
            "sort": data.get("sort") or "number",
            "search": data.get("search") or "",
        }

    def rows(self):
        query = self.query()
        conference = current_conference(self.request)
        all_rows = dashboard_rows(
            conference, user=self.request.user, with_authors=not query["blind"]
        )
        shown = sort_rows(query["filters"].apply(all_rows), query["sort"])
        if query["search"]:  # the search language narrows what the filters kept
            found = self.search_result(query["search"])
            shown = [row for row in shown if row.pk in found]
        return all_rows, shown, query

    search_error = None

    def search_result(self, text: str) -> set[int]:
        """Ids of what the query finds (one query); none, and `search_error`, for a
        bad query."""
        user = self.request.user
        result = search_submissions(
            Submission.objects.exclude(pk__in=conflicted_submission_ids(user)),
            text,
            user=user,
            blind=False,
        )
        self.search_error = result.error
        return set(result.queryset.values_list("pk", flat=True))


def _params(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if v}
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v})


@contextmanager
def cycle_collection_paused():
    """Build the big table without Python's cycle collector running mid-way.

    A thousand rows make some ten thousand short-lived containers; while they are
    alive the collector keeps scanning (and promoting) them, and a full collection
    of the process heap then costs 100-200 ms in the middle of a render. They are
    all freed by reference counting when the response is built, so pausing the
    collector for the request loses nothing; it runs as usual afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class DashboardView(DashboardMixin, TemplateView):
    template_name = "decisions/dashboard.html"

    def get(self, request, *args, **kwargs):
        with cycle_collection_paused():
            response = super().get(request, *args, **kwargs)
            response.render()
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        all_rows, shown, query = self.rows()
        # Filters and sorting above are the dashboard's own; the listing pages.
        listing = Listing(self.request, searchable=False)
        rows = listing.paginate(shown).object_list
        tags = tags_by_submission(
            [row.pk for row in rows], user=self.request.user, blind=False
        )
        for row in rows:
            row.tags = [(tag.name, tag.colour) for tag in tags[row.pk]]
        sort = query["sort"]
        columns = []
        for key, label, numeric in COLUMNS:
            if key == "authors" and query["blind"]:
                continue
            # Scores sort best first on the first click.
            first = f"-{key}" if numeric and key != "number" else key
            if sort == first:
                next_sort = first[1:] if first.startswith("-") else f"-{first}"
            elif sort.lstrip("-") == key:
                next_sort = first
            else:
                next_sort = first
            columns.append(
                {
                    "key": key,
                    "label": label,
                    "url": "?" + _params(self.request, sort=next_sort, page=""),
                    "active": sort.lstrip("-") == key,
                    "descending": sort.startswith("-"),
                }
            )
        context.update(
            listing=listing,
            rows=rows,
            shown_count=len(shown),
            columns=columns,
            column_count=len(columns) + 1,
            total=len(all_rows),
            summary=summarize(all_rows),
            form=self.filter_form,
            search_error=self.search_error,
            saved_searches=SavedSearch.objects.visible_to(self.request.user),
            blind=query["blind"],
            flag_labels=FLAG_LABELS,
            bulk_form=context.get("bulk_form")
            or BulkDecisionForm(numbers=[r.number for r in shown]),
            querystring=self.request.GET.urlencode(),
            csv_url=reverse("decisions:export-table") + "?" + _params(self.request),
            table_body=table_body(
                rows, blind=query["blind"], base=reverse("decisions:dashboard")
            ),
            outcomes=Outcome.choices,
            choose_decision=CHOOSE_DECISION,
            last_bulk=last_bulk_change(
                current_conference(self.request), by=self.request.user
            ),
            **schedule_context(current_conference(self.request), self.request.user),
        )
        return context


class BulkDecideView(DashboardMixin, View):
    """POST from the dashboard: one outcome for the selected submissions.

    The first POST shows what would change ("Set 12 submissions to Reject?", with
    their numbers); only the confirmation page's button (`confirmed`) decides.
    The change can then be undone from the dashboard until release."""

    def post(self, request):
        querystring = request.POST.get("querystring", "")
        conference = current_conference(request)
        hidden = conflicted_submission_ids(request.user)
        allowed = {
            number: pk
            for pk, number in Submission.objects.filter(
                conference=conference, state=Submission.State.SUBMITTED
            ).values_list("pk", "number")
            if pk not in hidden
        }
        # Numbers the chair may not decide (conflicted, withdrawn, unknown) are
        # dropped alike before validation: the bulk action changes what it may and
        # says how many, never naming or refusing because of a hidden submission.
        data = request.POST.copy()
        data.setlist(
            "numbers",
            [n for n in data.getlist("numbers") if n.isdigit() and int(n) in allowed],
        )
        form = BulkDecisionForm(data, numbers=sorted(allowed))
        target = _dashboard_url(querystring)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(target)
        data = form.cleaned_data
        submissions = list(
            Submission.objects.filter(
                pk__in=[allowed[n] for n in data["numbers"]]
            ).order_by("number")
        )
        before = {
            d.submission_id: d
            for d in Decision.objects.filter(submission__in=submissions)
        }
        label = DECISION_LABELS[data["outcome"]]
        # What decide_many stores: only a desk reject keeps its reason.
        reason = (
            data["reason"].strip() if data["outcome"] == Outcome.DESK_REJECT else ""
        )
        if not data["confirmed"]:
            return render(
                request,
                "decisions/bulk_confirm.html",
                {
                    "label": label,
                    "outcome": data["outcome"],
                    "reason": data["reason"],
                    "confirm_correction": data["confirm_correction"],
                    "querystring": querystring,
                    "cancel_url": target,
                    "items": [
                        {
                            "number": s.number,
                            "title": s.title,
                            "current": before.get(s.pk),
                            "unchanged": s.pk in before
                            and (before[s.pk].outcome, before[s.pk].reason)
                            == (data["outcome"], reason),
                        }
                        for s in submissions
                    ],
                    "released_count": sum(
                        d.released_at is not None for d in before.values()
                    ),
                },
            )
        # A background job (issue 14, item 10): a thousand decisions take seconds.
        # Its page says what changed (or why nothing did) and links back here,
        # where the undo is offered.
        job = start_bulk_decision(
            submissions,
            data["outcome"],
            reason=data["reason"],
            confirm_correction=data["confirm_correction"],
            querystring=querystring,
            by=request.user,
        )
        return redirect("jobs:detail", pk=job.pk)


class BulkUndoView(DashboardMixin, View):
    """POST: put back what the chair's last bulk decision replaced (until release)."""

    def post(self, request):
        querystring = request.POST.get("querystring", "")
        try:
            bulk_id = uuid.UUID(request.POST.get("bulk_id", ""))
        except ValueError:
            messages.error(request, "There is no such bulk decision of yours to undo.")
            return redirect(_dashboard_url(querystring))
        # A background job, as the bulk decision itself: it says what it put back.
        job = start_bulk_undo(bulk_id, querystring=querystring, by=request.user)
        return redirect("jobs:detail", pk=job.pk)


def _dashboard_url(querystring: str) -> str:
    return reverse("decisions:dashboard") + (f"?{querystring}" if querystring else "")


class TableCsvView(DashboardMixin, View):
    def get(self, request):
        _, rows, query = self.rows()
        body = exports.table_csv(rows, with_authors=not query["blind"])
        return download(
            body,
            exports.export_filename(current_conference(request), "decisions.csv"),
            "text/csv; charset=utf-8",
        )


def download(body, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""The chairs' assignment pages: assignments by hand, automatic-assignment runs
(propose, inspect, deploy, discard) and the affinity upload."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from haet.listing import Listing, Sort, person_match, search_terms
from haet.models import User
from haet.posted import posted_id
from haet.rules import REVIEWERS
from haet.views import ChairRequiredMixin, current_conference
from haet.wording import counted
from reviews.affinity_upload import upload_affinity
from reviews.assigning import assign_reviewer, unassign_reviewer
from reviews.assignment_runs import (
    discard_run,
    propose_again,
    propose_assignment,
)
from reviews.bidding import biddable
from reviews.conflicts import ConflictIndex, conflicted_submission_ids
from reviews.forms.assigning import AffinityUploadForm, AssignForm, ProposeForm
from reviews.jobs import start_deploy
from reviews.models import (
    AffinityScore,
    Assignment,
    AssignmentRun,
    ReviewSettings,
)
from reviews.queries import (
    inspect_run,
    run_figures,
    visible_assignment_filter,
    visible_to,
)
from submissions.free_text import submission_match
from submissions.models import Submission

ASSIGNMENT_SORTS = [
    Sort("number", "#", ["number"]),
    Sort("title", "Title", ["title"]),
    Sort("reviewers", "Reviewers", ["assigned"]),
]
LOAD_SORTS = [
    Sort("email", "Reviewer", value=lambda r: r.email),
    Sort("load", "Load", value=lambda r: r.load),
]


def search_assignments(submissions: QuerySet, q: str) -> QuerySet:
    """Number or title, an author's name, or an assigned reviewer's name or email."""
    for term in search_terms(q):
        reviewed_by = Assignment.objects.filter(
            person_match(term, "reviewer__")
        ).values("submission")
        submissions = submissions.filter(
            submission_match(term, authors=True) | Q(pk__in=reviewed_by)
        )
    return submissions


RUN_SORTS = [
    Sort("created", "Proposal", ["created_at"]),
    Sort("status", "Status", ["status"]),
    Sort("by", "By", ["created_by__email"]),
]


def search_runs(runs: QuerySet, q: str) -> QuerySet:
    """The proposal's number (`12`, `#12`), status or who proposed it."""
    for term in search_terms(q):
        digits = term.removeprefix("#")
        statuses = [
            value
            for value, label in AssignmentRun.Status.choices
            if term.casefold() in f"{value} {label}".casefold()
        ]
        match = Q(status__in=statuses) | person_match(term, "created_by__")
        if digits.isdecimal() and len(digits) < 10:
            match |= Q(pk=int(digits))
        runs = runs.filter(match)
    return runs


class AssignmentListView(ChairRequiredMixin, TemplateView):
    """Current assignments per submission; add or remove by hand."""

    template_name = "reviews/assignment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        review_settings = ReviewSettings.objects.for_conference(conference)
        listing = Listing(self.request, ASSIGNMENT_SORTS, default="number")
        page = listing.page_queryset(
            visible_to(
                biddable(Submission.objects.filter(conference=conference)),
                user,
            )
            .annotate(assigned=Count("assignments"))
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related(
                        "reviewer", "review"
                    ).order_by("pseudonym_index"),
                )
            ),
            search_assignments,
        )
        submissions = list(page.object_list)
        # Loads count only the assignments of submissions this chair may see:
        # counting a hidden one would single out its reviewers.
        reviewers = list(
            User.objects.filter(groups__name=REVIEWERS)
            .annotate(
                load=Count(
                    "assignments",
                    distinct=True,
                    filter=visible_assignment_filter(user),
                )
            )
            .order_by("email")
        )
        index = ConflictIndex.build(users=reviewers, submissions=submissions)
        rows = []
        for submission in submissions:
            assignments = [
                {
                    "assignment": a,
                    "is_conflicted": index.is_conflicted(a.reviewer_id, submission.pk),
                    "has_review": hasattr(a, "review"),
                }
                for a in submission.assignments.all()
            ]
            rows.append(
                {
                    "submission": submission,
                    "assignments": assignments,
                    "is_short": len(assignments)
                    < review_settings.reviewers_per_submission,
                }
            )
        loads = Listing(self.request, LOAD_SORTS, default="email", prefix="r")
        context.update(
            listing=listing,
            rows=rows,
            loads=loads,
            reviewers=loads.page_list(
                reviewers, text=lambda r: f"{r.display_name} {r.email}"
            ).object_list,
            settings=review_settings,
            hidden_count=len(hidden),
            form=kwargs.get("form") or AssignForm(user=user),
        )
        return context

    def post(self, request):
        if request.POST.get("action") == "remove":
            assignment = get_object_or_404(
                visible_to(Assignment.objects.all(), request.user),
                pk=posted_id(request, "assignment"),
            )
            try:
                unassign_reviewer(assignment, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Assignment removed.")
            return redirect("reviews:assignments")
        # A hidden submission's number is answered as one that does not exist.
        form = AssignForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submission = form.cleaned_data["submission"]
        try:
            assignment, is_new = assign_reviewer(
                submission, form.cleaned_data["reviewer"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        if is_new:
            messages.success(
                request, f"Assigned as {assignment.pseudonym} of #{submission.number}."
            )
        else:
            messages.warning(request, "That reviewer was already assigned.")
        return redirect("reviews:assignments")


class RunListView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/run_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        listing = Listing(self.request, RUN_SORTS, default="-created")
        runs = list(
            listing.page_queryset(
                AssignmentRun.objects.select_related("created_by", "deployed_by"),
                search_runs,
            ).object_list
        )
        for run in runs:
            # New pairs of the submissions this chair may see (see inspect_run).
            pairs = (run.result or {}).get("pairs")
            run.shown_pair_count = (
                None if pairs is None else sum(1 for p in pairs if p[0] not in hidden)
            )
            run.figures = run_figures(run, hidden=hidden)
        context.update(
            form=kwargs.get("form") or ProposeForm(),
            listing=listing,
            runs=runs,
            uploaded_count=visible_to(
                AffinityScore.objects.filter(source=AffinityScore.Source.UPLOADED), user
            ).count(),
            settings=ReviewSettings.objects.for_conference(
                current_conference(self.request)
            ),
        )
        return context

    def post(self, request):
        form = ProposeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        run = propose_assignment(by=request.user, **form.cleaned_data)
        return redirect("reviews:run", pk=run.pk)


class RunDetailView(ChairRequiredMixin, TemplateView):
    """Inspect a proposal: progress while it runs; then the proposed pairs, the
    change, per-submission and per-reviewer affinity, loads, unfilled reasons."""

    template_name = "reviews/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = get_object_or_404(AssignmentRun, pk=self.kwargs["pk"])
        context["run"] = run
        if run.status in (AssignmentRun.Status.DONE, AssignmentRun.Status.DEPLOYED):
            inspected = inspect_run(
                run, hidden=conflicted_submission_ids(self.request.user)
            )
            context.update(
                inspected,
                # Deploying mails each reviewer once, listing their new submissions.
                mail_count=sum(1 for r in inspected["reviewer_rows"] if r["new"]),
            )
        return context

    def post(self, request, pk):
        run = get_object_or_404(AssignmentRun, pk=pk)
        if request.POST.get("action") == "rerun":
            try:
                again = propose_again(run, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("reviews:run", pk=pk)
            return redirect("reviews:run", pk=again.pk)
        if request.POST.get("action") == "discard":
            discard_run(run, by=request.user)
            messages.success(request, "Proposal discarded.")
            return redirect("reviews:runs")
        if not request.POST.get("confirm"):
            messages.error(
                request,
                "Nothing was deployed: tick the box with the numbers of assignments "
                "and mails to confirm.",
            )
            return redirect("reviews:run", pk=pk)
        # A background job (issue 14, item 10): its page shows the progress, then
        # what was deployed (reviews.jobs).
        try:
            job = start_deploy(run, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reviews:run", pk=pk)
        return redirect("jobs:detail", pk=job.pk)


class AffinityUploadView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/affinity_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AffinityUploadForm())
        context["uploaded_count"] = visible_to(
            AffinityScore.objects.filter(source=AffinityScore.Source.UPLOADED),
            self.request.user,
        ).count()
        return context

    def post(self, request):
        form = AffinityUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = upload_affinity(form.cleaned_data["csv"], by=request.user)
        if result["errors"]:
            for error in result["errors"][:20]:
                form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        uploaded = counted(result["count"], "affinity score")
        messages.success(request, f"{uploaded} uploaded.")
        return redirect("reviews:runs")

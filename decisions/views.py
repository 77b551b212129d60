"""Deciding, notifying, camera-ready and the accepted papers.

Chair pages never show a submission the viewing chair is conflicted with (404 on
its own pages). Author pages show the decision and reviews only once released.
"""

import gc
from contextlib import contextmanager
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from decisions import exports, services
from decisions.forms import (
    CLEAR,
    BulkDecisionForm,
    CameraReadyAuthorFormSet,
    CameraReadyForm,
    DecisionForm,
    ExtensionForm,
    FilterForm,
    MailTemplateForm,
)
from decisions.forms import PresentationForm as PresentationUploadForm
from decisions.models import (
    DECISION_LABELS,
    CameraReady,
    CameraReadyVersion,
    Decision,
    Outcome,
)
from decisions.queries import (
    FLAG_LABELS,
    Filters,
    accepted_papers,
    dashboard_rows,
    sort_rows,
    summarize,
)
from decisions.rendering import table_body
from decisions.rules import decision_of
from decisions.scheduling_views import schedule_context
from haet import clock
from haet.models import Topic
from haet.templatetags.haet import describe_deadline
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from reviews.conflicts import conflicted_submission_ids
from reviews.models import DiscussionPost, Review, ReviewForm, ReviewQuestion
from submissions.models import Submission
from submissions.views import file_response

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


# --- the dashboard -----------------------------------------------------------------
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
        }

    def rows(self):
        query = self.query()
        conference = current_conference(self.request)
        all_rows = dashboard_rows(
            conference, user=self.request.user, with_authors=not query["blind"]
        )
        shown = sort_rows(query["filters"].apply(all_rows), query["sort"])
        return all_rows, shown, query


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
        all_rows, rows, query = self.rows()
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
                    "url": "?" + _params(self.request, sort=next_sort),
                    "active": sort.lstrip("-") == key,
                    "descending": sort.startswith("-"),
                }
            )
        context.update(
            rows=rows,
            columns=columns,
            column_count=len(columns) + 1,
            total=len(all_rows),
            summary=summarize(all_rows),
            form=self.filter_form,
            blind=query["blind"],
            flag_labels=FLAG_LABELS,
            bulk_form=context.get("bulk_form")
            or BulkDecisionForm(numbers=[r.number for r in rows]),
            querystring=self.request.GET.urlencode(),
            csv_url=reverse("decisions:export-table") + "?" + _params(self.request),
            table_body=table_body(
                rows, blind=query["blind"], base=reverse("decisions:dashboard")
            ),
            outcomes=Outcome.choices,
            **schedule_context(current_conference(self.request), self.request.user),
        )
        return context


class BulkDecideView(DashboardMixin, View):
    """POST from the dashboard: one outcome for the selected submissions."""

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
        target = reverse("decisions:dashboard") + (
            f"?{querystring}" if querystring else ""
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(target)
        data = form.cleaned_data
        submissions = list(
            Submission.objects.filter(pk__in=[allowed[n] for n in data["numbers"]])
        )
        before = {
            pk: (outcome, reason)
            for pk, outcome, reason in Decision.objects.filter(
                submission__in=submissions
            ).values_list("submission_id", "outcome", "reason")
        }
        try:
            decided = services.decide_many(
                submissions,
                data["outcome"],
                reason=data["reason"],
                by=request.user,
                confirm_correction=data["confirm_correction"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            label = DECISION_LABELS[data["outcome"]]
            changed = [
                d
                for d in decided
                if before.get(d.submission_id) != (d.outcome, d.reason)
            ]
            numbers = ", ".join(f"#{d.submission.number}" for d in changed)
            count = len(changed)
            plural = "" if count == 1 else "s"
            messages.success(
                request,
                (f"{label}: {numbers}. " if changed else f"{label}: ")
                + f"{count} decision{plural} changed.",
            )
        return redirect(target)


class TableCsvView(DashboardMixin, View):
    def get(self, request):
        _, rows, query = self.rows()
        body = exports.table_csv(rows, with_authors=not query["blind"])
        return _download(
            body,
            services.export_filename(current_conference(request), "decisions.csv"),
            "text/csv; charset=utf-8",
        )


def _hidden_in(conference, user) -> set[int]:
    """The submissions of the conference the user is conflicted with."""
    hidden = conflicted_submission_ids(user)
    if not hidden:
        return set()
    return set(
        Submission.objects.filter(conference=conference, pk__in=hidden).values_list(
            "pk", flat=True
        )
    )


def _download(body, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- one submission, for chairs ----------------------------------------------------
class SubmissionLookupMixin(NotFoundOnDeny):
    prefetch: tuple = ()

    @cached_property
    def submission(self) -> Submission:
        submission = get_object_or_404(
            Submission.objects.exclude(state=Submission.State.DRAFT)
            .select_related("decision", "camera_ready__current_version", "contact")
            .prefetch_related(
                Prefetch("authors"),
                "topics",
                "camera_ready_extensions",
                *self.prefetch,
            ),
            number=self.kwargs["number"],
            conference=current_conference(self.request),
        )
        submission.conference = current_conference(self.request)
        return submission

    def get_permission_object(self):
        return self.submission


class ChairSubmissionView(SubmissionLookupMixin, TemplateView):
    """A submission with everything chairs decide on: every review answer
    (confidential ones too), the discussion, nominations, and the decision."""

    permission_required = "decisions.decide"
    template_name = "decisions/submission.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        conference = submission.conference
        questions = list(
            ReviewForm.objects.for_conference(conference)
            .questions.filter(is_active=True)
            .order_by("order", "pk")
        )
        reviews = list(
            Review.objects.filter(assignment__submission=submission)
            .select_related("assignment__reviewer")
            .prefetch_related("nominations__award")
            .order_by("assignment__pseudonym_index")
        )
        for review in reviews:
            review.rows = [
                (
                    question,
                    services._answer_text(question, review.answers.get(question.key)),
                )
                for question in questions
                if question.kind != ReviewQuestion.Kind.NOMINATIONS
            ]
        pseudonyms = {a.reviewer_id: a.pseudonym for a in submission.assignments.all()}
        posts = list(
            DiscussionPost.objects.filter(submission=submission)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        for post in posts:
            post.signature = pseudonyms.get(post.author_id) or "Chair"
        decision = decision_of(submission)
        context.update(
            submission=submission,
            reviews=reviews,
            posts=posts,
            decision=decision,
            logs=submission.decision_logs.select_related("by").order_by("at", "pk"),
            form=context.get("form")
            or DecisionForm(
                initial={
                    "outcome": decision.outcome if decision else "",
                    "reason": decision.reason if decision else "",
                }
            ),
            extension_form=ExtensionForm(conference=conference),
            window=services.camera_ready_window(submission, conference=conference),
            blind=self.request.GET.get("blind") == "1",
        )
        return context

    def post(self, request, number):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            if data["outcome"] == CLEAR:
                services.clear_decision(self.submission, by=request.user)
                messages.success(request, f"#{number} is undecided again.")
            else:
                services.decide(
                    self.submission,
                    data["outcome"],
                    reason=data["reason"],
                    by=request.user,
                    confirm_correction=data["confirm_correction"],
                )
                messages.success(
                    request, f"#{number}: {DECISION_LABELS[data['outcome']]}."
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("decisions:submission", number=number)


class CameraReadyExtensionView(SubmissionLookupMixin, View):
    permission_required = "decisions.decide"

    def post(self, request, number):
        conference = current_conference(request)
        form = ExtensionForm(request.POST, conference=conference)
        if form.is_valid():
            extension = services.grant_camera_ready_extension(
                self.submission,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(
                request,
                f"#{number}'s camera-ready may change until "
                f"{describe_deadline(extension.until, conference)}.",
            )
        else:
            messages.error(request, "Give the day and the last open minute.")
        return redirect("decisions:submission", number=number)


# --- release -----------------------------------------------------------------------
class ReleaseView(ChairRequiredMixin, TemplateView):
    """GET: every mail a release would send, rendered. POST: send exactly those."""

    permission_required = "decisions.manage"
    template_name = "decisions/release.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        mails, tokens, _ = services.preview_release(conference, by=self.request.user)
        context.update(
            mails=mails,
            tokens=tokens,
            # Not how many wait for another chair: a count over hidden submissions
            # tells a chair-author that their own paper has a decision (issue 12).
            has_hidden=bool(_hidden_in(conference, self.request.user)),
            submission_count=len(tokens),
            **schedule_context(conference, self.request.user),
        )
        return context

    def post(self, request):
        tokens = request.POST.getlist("token")
        try:
            result = services.release_decisions(
                current_conference(request), tokens=tokens, by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("decisions:release")
        if result.released:
            messages.success(
                request,
                f"Released {len(result.released)} decisions; {result.mail_count} "
                "mails are on their way (see the outbox).",
            )
        else:
            messages.info(request, "Nothing to release: no mail was sent.")
        return redirect("decisions:dashboard")


class MailTemplatesView(ChairRequiredMixin, TemplateView):
    permission_required = "decisions.manage"
    template_name = "decisions/mail_templates.html"

    def get_forms(self, data=None):
        templates = services.mail_templates(current_conference(self.request))
        return [
            (
                templates[outcome],
                MailTemplateForm(
                    data,
                    prefix=outcome,
                    initial={
                        "subject": templates[outcome].subject,
                        "body": templates[outcome].body,
                    },
                ),
            )
            for outcome in Outcome
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("forms", self.get_forms())
        context["placeholders"] = services.PLACEHOLDERS
        return context

    def post(self, request):
        forms = self.get_forms(request.POST)
        if not all(form.is_valid() for _, form in forms):
            return self.render_to_response(self.get_context_data(forms=forms))
        for template, form in forms:
            services.save_mail_template(
                template,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        messages.success(request, "Decision mails saved.")
        return redirect("decisions:templates")


# --- authors -----------------------------------------------------------------------
class AuthorView(SubmissionLookupMixin, TemplateView):
    """The decision and the reviews as the authors see them, once released."""

    permission_required = "decisions.view_outcome"
    template_name = "decisions/author_view.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        user = self.request.user
        can_read = user.has_perm("decisions.read_outcome", submission)
        decision = decision_of(submission) if can_read else None
        context.update(
            submission=submission,
            decision=decision,
            is_released=bool(decision and decision.is_released),
            reviews=services.author_reviews(submission) if decision else [],
            can_edit_camera_ready=user.has_perm(
                "decisions.edit_camera_ready", submission
            ),
            camera_ready=_camera_ready(submission),
        )
        return context


def _camera_ready(submission) -> CameraReady | None:
    try:
        return submission.camera_ready
    except CameraReady.DoesNotExist:
        return None


class CameraReadyView(SubmissionLookupMixin, TemplateView):
    permission_required = "decisions.edit_camera_ready"
    template_name = "decisions/camera_ready.html"
    prefetch = (
        Prefetch(
            "camera_ready__versions",
            queryset=CameraReadyVersion.objects.order_by("-uploaded_at", "-pk"),
        ),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        conference = submission.conference
        data = services.camera_ready_data(submission)
        if "form" not in context:
            context["form"] = CameraReadyForm(
                initial={
                    "title": data.title,
                    "proceedings": "yes" if data.include_in_proceedings else "no",
                    "copyright_accepted": data.copyright_accepted,
                    "arxiv_url": data.arxiv_url,
                }
            )
            context["authors"] = CameraReadyAuthorFormSet(
                prefix="authors", initial=data.authors
            )
        window = services.camera_ready_window(submission, conference=conference)
        now = clock.now()
        context.update(
            submission=submission,
            camera_ready=_camera_ready(submission),
            window=window,
            is_open=window.is_open(now),
            deadline_text=describe_deadline(window.closes_at, conference)
            if window.closes_at
            else "",
            page_limit=services.camera_ready_page_limit(conference),
            presentation_form=PresentationUploadForm(),
        )
        return context

    def post(self, request, number):
        at = clock.now()
        form = CameraReadyForm(request.POST, request.FILES)
        authors = CameraReadyAuthorFormSet(request.POST, prefix="authors")
        if not (form.is_valid() and authors.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, authors=authors)
            )
        people = [
            f.cleaned_data
            for f in authors.forms
            if f.cleaned_data and (f.cleaned_data.get("name") or "").strip()
        ]
        try:
            services.save_camera_ready(
                self.submission,
                form.data_with(people),
                by=request.user,
                pdf=form.cleaned_data.get("pdf"),
                at=at,
            )
        except services.UploadRejected as error:
            context = self.get_context_data(form=form, authors=authors)
            context["rejected"] = error.report
            return self.render_to_response(context)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(
                self.get_context_data(form=form, authors=authors)
            )
        messages.success(request, f"Saved the camera-ready of #{number}.")
        return redirect("decisions:camera-ready", number=number)


class PresentationView(SubmissionLookupMixin, View):
    """POST: slides or poster."""

    permission_required = "decisions.edit_camera_ready"

    def post(self, request, number):
        form = PresentationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.upload_presentation(
                    self.submission,
                    form.cleaned_data["kind"],
                    form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"Saved the {form.cleaned_data['kind']}.")
        else:
            messages.error(request, "Choose slides or poster and a PDF file.")
        return redirect("decisions:camera-ready", number=number)


class CameraReadyFileView(SubmissionLookupMixin, View):
    """The camera-ready PDF, slides or poster (authors and chairs)."""

    permission_required = "decisions.edit_camera_ready"
    kind = "pdf"

    def get(self, request, number):
        camera = _camera_ready(self.submission)
        if camera is None:
            raise Http404
        stem = self.submission.file_stem
        if self.kind == "pdf":
            if camera.current_version is None:
                raise Http404
            return file_response(camera.current_version.file, f"{stem}.pdf")
        field = getattr(camera, self.kind)
        if not field:
            raise Http404
        return file_response(field, f"{stem}-{self.kind}.pdf")


# --- camera-ready progress, for chairs ---------------------------------------------
class CameraReadyProgressView(ChairRequiredMixin, TemplateView):
    permission_required = "decisions.manage"
    template_name = "decisions/camera_ready_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        hidden = conflicted_submission_ids(self.request.user)
        papers = [
            p
            for p in accepted_papers(conference, released_only=False)
            if p.pk not in hidden
        ]
        complete = [p for p in papers if p.camera_ready and p.camera_ready.is_complete]
        context.update(
            papers=papers,
            complete_count=len(complete),
            missing_count=len(papers) - len(complete),
        )
        return context

    def post(self, request):
        sent = services.remind_missing_camera_ready(
            current_conference(request), by=request.user
        )
        messages.success(request, f"{sent} reminder mails queued.")
        return redirect("decisions:camera-ready-progress")


# --- exports -----------------------------------------------------------------------
class ExportsView(ChairRequiredMixin, TemplateView):
    permission_required = "decisions.manage"
    template_name = "decisions/exports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        papers = self.papers()
        context.update(
            papers=papers,
            orals=[p for p in papers if p.is_oral],
            posters=[p for p in papers if not p.is_oral],
            proceedings_count=sum(p.include_in_proceedings for p in papers),
        )
        return context

    def papers(self):
        """Released acceptances; a conflicted chair still exports the whole list
        (what is public after release), never anything unreleased."""
        return accepted_papers(current_conference(self.request))


class ExportView(ExportsView):
    kind = ""

    def get(self, request, *args, **kwargs):
        conference = current_conference(request)
        papers = self.papers()
        name = services.export_filename
        if self.kind == "accepted.csv":
            return _download(
                exports.accepted_csv(papers),
                name(conference, "accepted.csv"),
                "text/csv; charset=utf-8",
            )
        if self.kind == "accepted.json":
            return _download(
                exports.accepted_json(papers, conference),
                name(conference, "accepted.json"),
                "application/json",
            )
        if self.kind == "bib":
            return _download(
                exports.bibtex(papers, conference),
                name(conference, "proceedings.bib"),
                "application/x-bibtex; charset=utf-8",
            )
        if self.kind == "zip":
            response = FileResponse(
                exports.camera_ready_zip(papers),
                as_attachment=True,
                filename=name(conference, "camera-ready.zip"),
                content_type="application/zip",
            )
            response["Cache-Control"] = "private, no-store"
            return response
        if self.kind == "programme.csv":
            return _download(
                exports.programme_csv(papers),
                name(conference, "programme.csv"),
                "text/csv; charset=utf-8",
            )
        raise Http404


class ProgrammeView(ExportsView):
    template_name = "decisions/programme.html"


# --- public ------------------------------------------------------------------------
class AcceptedListView(TemplateView):
    """The public list of accepted papers, after release. `awards` (a list the
    awards app fills through queries.register_award_source) appears once
    announced; the template's `awards` block is the hook."""

    template_name = "decisions/accepted_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        papers = accepted_papers(conference, with_awards=True)
        awards: dict[str, list] = {}
        for paper in papers:
            for award in paper.awards:
                awards.setdefault(award, []).append(paper)
        context.update(
            papers=papers,
            orals=[p for p in papers if p.is_oral],
            posters=[p for p in papers if not p.is_oral],
            awards=list(awards.items()),
        )
        return context


class PublicPdfView(View):
    """The camera-ready PDF of a released acceptance that is in the proceedings."""

    def get(self, request, number):
        conference = current_conference(request)
        paper = next(
            (p for p in accepted_papers(conference) if p.number == number), None
        )
        if paper is None or not (paper.include_in_proceedings and paper.has_pdf):
            raise Http404
        version = paper.camera_ready.current_version
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            filename=f"{paper.file_stem}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

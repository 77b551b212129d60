"""Author pages (My submissions, new/edit, detail, withdraw), permission-checked file
downloads, and the chairs' submission list, detail (extensions) and settings.

A view parses (form), checks (rules), calls one service, renders or redirects.
Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go to the login.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from haet import clock
from haet.rules import conflicted_submission_ids
from haet.templatetags.haet import describe_deadline
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from submissions.forms import (
    AuthorFormSet,
    ExtensionForm,
    SubmissionForm,
    SubmissionSettingsForm,
    submission_data,
)
from submissions.models import PaperVersion, Submission, SubmissionSettings
from submissions.panels import render_panels
from submissions.services import (
    DeadlinePassed,
    SupplementaryRejected,
    UploadRejected,
    conference_deadline,
    data_of,
    grant_extension,
    restore_submission,
    save_submission,
    submit_submission,
    transfer_window,
    window_for,
    withdraw_submission,
)


def file_response(field: FieldFile, filename: str) -> FileResponse:
    """A private file as a download: never rendered inline, never cached."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is missing.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=_content_type(field)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(field: FieldFile) -> str:
    return "application/zip" if field.name.endswith(".zip") else "application/pdf"


def with_deadline(submissions, conference, settings) -> list[Submission]:
    """Attach `window` (closes_at, grace) to each submission: no extra queries when
    its extensions are prefetched."""
    deadline = conference_deadline(conference)
    submissions = list(submissions)
    for submission in submissions:
        submission.conference = conference  # spares a query per row
        closes_at = submission.closes_at(deadline)
        submission.deadline = closes_at
        submission.deadline_text = (
            describe_deadline(closes_at, conference) if closes_at else ""
        )
        submission.window = window_for(
            submission, conference=conference, settings=settings
        )
    return submissions


class SubmissionMixin(NotFoundOnDeny):
    """Looks the submission up by its number, with what the pages read."""

    permission_required = "submissions.view_submission"

    @cached_property
    def submission(self) -> Submission:
        submission = get_object_or_404(
            Submission.objects.for_listing().prefetch_related(
                Prefetch(
                    "versions",
                    queryset=PaperVersion.objects.select_related(
                        "uploaded_by"
                    ).order_by("-uploaded_at", "-pk"),
                ),
                "supplementary_files",
                "conflicts",
                "extensions__granted_by",
            ),
            number=self.kwargs["number"],
        )
        submission.conference = current_conference(self.request)
        return submission

    def get_permission_object(self):
        return self.submission

    @cached_property
    def settings(self) -> SubmissionSettings:
        return SubmissionSettings.objects.for_conference(
            current_conference(self.request)
        )

    def deadline_context(self) -> dict:
        conference = current_conference(self.request)
        [submission] = with_deadline([self.submission], conference, self.settings)
        now = clock.now()
        return {
            "submission": submission,
            "now": now,
            "is_open": submission.window.is_open(now),
        }


# --- authors -----------------------------------------------------------------------
class MySubmissionsView(NotFoundOnDeny, TemplateView):
    permission_required = "submissions.add_submission"
    template_name = "submissions/submission_list.html"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        settings = SubmissionSettings.objects.for_conference(conference)
        submissions = with_deadline(
            Submission.objects.authored_by(self.request.user).for_listing(),
            conference,
            settings,
        )
        now = clock.now()
        new_window = window_for(None, conference=conference, settings=settings)
        context.update(
            submissions=submissions,
            now=now,
            can_create=new_window.is_open(now),
            deadline=new_window.closes_at,
            deadline_text=describe_deadline(new_window.closes_at, conference)
            if new_window.closes_at
            else "",
        )
        return context


class SubmissionFormView(NotFoundOnDeny, TemplateView):
    """New submission (no number) and edit (number): the form, the authors'
    formset, the PDF and supplementary uploads, Save draft and Submit."""

    template_name = "submissions/submission_form.html"

    @classmethod
    def upload_limits(cls, request) -> dict[str, int]:
        """The size limits submissions.uploads enforces while the files stream in
        (it calls this before the view runs, when the body is parsed)."""
        settings = SubmissionSettings.objects.for_conference(
            current_conference(request)
        )
        return {
            "paper": settings.max_bytes,
            "supplementary": settings.supplementary_max_bytes,
        }

    def get_permission_required(self):
        if "number" in self.kwargs:
            return ["submissions.change_submission"]
        return ["submissions.add_submission"]

    def get_permission_object(self):
        return self.submission

    @cached_property
    def submission(self) -> Submission | None:
        if "number" not in self.kwargs:
            return None
        submission = get_object_or_404(
            Submission.objects.for_listing().prefetch_related("conflicts"),
            number=self.kwargs["number"],
        )
        submission.conference = current_conference(self.request)
        return submission

    @cached_property
    def settings(self) -> SubmissionSettings:
        return SubmissionSettings.objects.for_conference(
            current_conference(self.request)
        )

    def initial(self) -> tuple[dict, list[dict]]:
        if self.submission is None:
            user = self.request.user
            me = {
                "name": user.name,
                "email": user.email,
                "affiliation": user.affiliation,
            }
            return {"include_in_proceedings": "no"}, [me]
        data = data_of(self.submission)
        initial = {
            "title": data.title,
            "abstract": data.abstract,
            "keywords": data.keywords,
            "topics": data.topics,
            "not_accepted_at_main": data.not_accepted_at_main,
            "include_in_proceedings": "yes" if data.include_in_proceedings else "no",
            "arxiv_url": data.arxiv_url,
            "conflicts": "\n".join(value for _, value in data.conflicts),
        }
        return initial, data.authors

    def forms(self, submitting: bool = False):
        conference = current_conference(self.request)
        if self.request.method == "POST":
            form = SubmissionForm(
                self.request.POST,
                self.request.FILES,
                conference=conference,
                settings=self.settings,
                submitting=submitting,
                refused_uploads=getattr(self.request, "refused_uploads", {}),
            )
            authors = AuthorFormSet(self.request.POST, prefix="authors")
        else:
            initial, author_initial = self.initial()
            form = SubmissionForm(
                initial=initial, conference=conference, settings=self.settings
            )
            authors = AuthorFormSet(initial=author_initial, prefix="authors")
        return form, authors

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"], context["authors"] = self.forms()
        conference = current_conference(self.request)
        now = clock.now()
        window = window_for(
            self.submission, conference=conference, settings=self.settings
        )
        context.update(
            submission=self.submission,
            now=now,
            transfer_window_minutes=transfer_window().total_seconds() // 60,
            deadline=window.closes_at,
            deadline_text=describe_deadline(window.closes_at, conference)
            if window.closes_at
            else "",
            is_open=window.is_open(now),
        )
        return context

    def post(self, request, *args, **kwargs):
        received_at = clock.now()  # the last byte arrived (the body is parsed)
        # Stamped by submissions.uploads before the body was read; what counts
        # against the deadline, within the transfer window (services.counted_at).
        started_at = getattr(request, "upload_started_at", None)
        submitting = request.POST.get("action") == "submit"
        form, authors = self.forms(submitting=submitting)
        context = {"form": form, "authors": authors}
        if not (form.is_valid() and authors.is_valid()):
            return self.render_to_response(self.get_context_data(**context))
        data = form.cleaned_data
        try:
            submission = save_submission(
                self.submission,
                submission_data(form, authors),
                conference=current_conference(request),
                by=request.user,
                paper=data["paper"] or None,
                supplementary=data["supplementary"] or None,
                remove_supplementary=data["remove_supplementary"],
                submit=submitting,
                at=received_at,
                started_at=started_at,
            )
        except DeadlinePassed as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(**context), status=403)
        except UploadRejected as error:
            form.add_error("paper", error)
            context["rejected_report"] = error.report
            return self.render_to_response(self.get_context_data(**context))
        except SupplementaryRejected as error:
            form.add_error("supplementary", error)
            return self.render_to_response(self.get_context_data(**context))
        except ValidationError as error:
            field = (
                "supplementary"
                if getattr(error, "code", None) in ("not_pdf_zip", "too_large")
                else None
            )
            form.add_error(field, error)
            return self.render_to_response(self.get_context_data(**context))
        version = submission.current_version
        if submission.is_submitted and submitting:
            messages.success(
                request,
                f"Submitted #{submission.number}. A receipt is on its way to "
                f"{submission.contact.email}.",
            )
        elif submission.is_submitted:
            messages.success(request, f"Saved #{submission.number}.")
        else:
            messages.success(request, f"Saved the draft #{submission.number}.")
        if data["paper"] and version is not None and version.warnings:
            messages.warning(
                request,
                "The PDF was accepted with warnings; please read them below.",
            )
        supplementary = submission.supplementary
        if data["supplementary"] and supplementary and supplementary.warnings:
            messages.warning(
                request,
                "The supplementary material was accepted with warnings; please "
                "read them below.",
            )
        return redirect("submissions:detail", number=submission.number)


class SubmissionDetailView(SubmissionMixin, TemplateView):
    template_name = "submissions/submission_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.deadline_context())
        user = self.request.user
        context["can_change"] = user.has_perm(
            "submissions.change_submission", self.submission
        )
        context["panels"] = render_panels(self.request, self.submission)
        return context


class SubmissionActionView(SubmissionMixin, View):
    """POST-only buttons on the detail page: submit, withdraw, restore."""

    permission_required = "submissions.change_submission"
    action = ""
    services = {
        "submit": (submit_submission, "Submitted #{n}. A receipt is on its way."),
        "withdraw": (withdraw_submission, "Withdrew #{n}. You can undo this."),
        "restore": (restore_submission, "Restored #{n}."),
    }

    def post(self, request, number):
        received_at = clock.now()
        service, done = self.services[self.action]
        try:
            service(self.submission, by=request.user, at=received_at)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done.format(n=self.submission.number))
        return redirect("submissions:detail", number=number)


# --- downloads ---------------------------------------------------------------------
class PaperDownloadView(SubmissionMixin, View):
    """The original PDF (authors and chairs); `version` picks an older upload."""

    permission_required = "submissions.download_original"
    field = "original"
    suffix = ""

    def get(self, request, number, version=None):
        submission = self.submission
        if version is None:
            chosen = submission.current_version
        else:
            chosen = next(
                (v for v in submission.versions.all() if v.pk == version), None
            )
        if chosen is None or not getattr(chosen, self.field):
            raise Http404
        return file_response(
            getattr(chosen, self.field), f"{submission.file_stem}{self.suffix}.pdf"
        )


class ReviewerCopyDownloadView(PaperDownloadView):
    """What reviewers receive, so authors and chairs can check it."""

    field = "reviewer_copy"
    suffix = "-reviewer-copy"


class SupplementaryDownloadView(SubmissionMixin, View):
    """The supplementary file as uploaded (authors and chairs)."""

    permission_required = "submissions.download_original"
    field = "file"
    suffix = ""

    def get(self, request, number):
        supplementary = self.submission.supplementary
        if supplementary is None or not getattr(supplementary, self.field):
            raise Http404
        stem = f"{self.submission.file_stem}-supplementary{self.suffix}"
        return file_response(
            getattr(supplementary, self.field), f"{stem}.{supplementary.extension}"
        )


class SupplementaryReviewerCopyDownloadView(SupplementaryDownloadView):
    """What reviewers receive of the supplementary material."""

    field = "reviewer_copy"
    suffix = "-reviewer-copy"


# --- chairs ------------------------------------------------------------------------
class ChairSubmissionListView(ChairRequiredMixin, TemplateView):
    template_name = "submissions/chair_submission_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        settings = SubmissionSettings.objects.for_conference(conference)
        hidden = conflicted_submission_ids(self.request.user)
        submissions = with_deadline(
            Submission.objects.for_listing().exclude(pk__in=hidden),
            conference,
            settings,
        )
        context.update(
            submissions=submissions,
            counts={
                state.label: sum(s.state == state for s in submissions)
                for state in Submission.State
            },
            late_count=sum(s.is_late for s in submissions),
            hidden_count=len(hidden),
            settings=settings,
        )
        return context


class ChairSubmissionDetailView(ChairRequiredMixin, SubmissionMixin, TemplateView):
    template_name = "submissions/chair_submission_detail.html"
    # Chairs only, and not one conflicted with this submission.
    permission_required = "submissions.grant_extension"

    def get_permission_object(self):
        return self.submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.deadline_context())
        conference = current_conference(self.request)
        for extension in self.submission.extensions.all():
            extension.until_text = describe_deadline(extension.until, conference)
        context.setdefault("form", ExtensionForm(conference=conference))
        return context

    def post(self, request, number):
        form = ExtensionForm(request.POST, conference=current_conference(request))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        extension = grant_extension(
            self.submission,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(
            request,
            f"#{self.submission.number} may change until "
            f"{describe_deadline(extension.until, current_conference(request))}.",
        )
        return redirect("submissions:chair-detail", number=number)


class ChairSettingsView(ChairRequiredMixin, TemplateView):
    template_name = "submissions/chair_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        settings = SubmissionSettings.objects.for_conference(
            current_conference(self.request)
        )
        context.setdefault("form", SubmissionSettingsForm(instance=settings))
        return context

    def post(self, request):
        settings = SubmissionSettings.objects.for_conference(
            current_conference(request)
        )
        form = SubmissionSettingsForm(request.POST, instance=settings)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, "Submission settings saved.")
        return redirect(reverse("submissions:chair-settings"))

"""Author pages: My submissions, new/edit, detail, submit/withdraw/restore.

A view parses (form), checks (rules), calls one service, renders or redirects.
Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go to the login.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from haet import clock
from haet.deadlines import describe_deadline
from haet.views import NotFoundOnDeny, current_conference
from submissions.deadlines import DeadlinePassed, transfer_window, window_for
from submissions.fields.forms import answers_form
from submissions.fields.queries import shown_answers
from submissions.fields.services import missing_required, save_answers, scan_answers
from submissions.forms import (
    AuthorFormSet,
    SubmissionForm,
    edit_author_rows,
    submission_data,
)
from submissions.models import Submission, SubmissionSettings
from submissions.panels import list_columns, render_panels
from submissions.submitting import (
    data_of,
    restore_submission,
    save_submission,
    submit_submission,
    withdraw_submission,
)
from submissions.supplementary import SupplementaryRejected
from submissions.versions import UploadRejected
from submissions.views.mixins import SubmissionMixin, with_deadline


class MySubmissionsView(NotFoundOnDeny, TemplateView):
    permission_required = "submissions.add_submission"
    template_name = "submissions/submission_list.html"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        submission_settings = SubmissionSettings.objects.for_conference(conference)
        submissions = with_deadline(
            Submission.objects.authored_by(self.request.user).for_listing(),
            conference,
            submission_settings,
        )
        now = clock.now()
        new_window = window_for(
            None, conference=conference, submission_settings=submission_settings
        )
        context.update(
            submissions=submissions,
            extra_headers=list_columns(self.request, submissions),
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
        submission_settings = SubmissionSettings.objects.for_conference(
            current_conference(request)
        )
        return {
            "pdf": submission_settings.max_bytes,
            "supplementary": submission_settings.supplementary_max_bytes,
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
                submission_settings=self.settings,
                submitting=submitting,
                refused_uploads=getattr(self.request, "refused_uploads", {}),
            )
            authors = AuthorFormSet(self.request.POST, prefix="authors")
        else:
            initial, author_initial = self.initial()
            form = SubmissionForm(
                initial=initial,
                conference=conference,
                submission_settings=self.settings,
            )
            authors = AuthorFormSet(initial=author_initial, prefix="authors")
        return form, authors

    def answers(self, *, submitting: bool = False, disabled: bool = False):
        """The chairs' custom fields asked at submission (submissions.fields)."""
        post = self.request.method == "POST" and not disabled
        return answers_form(
            self.submission,
            current_conference(self.request),
            data=self.request.POST if post else None,
            files=self.request.FILES if post else None,
            submitting=submitting,
            disabled=disabled,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        now = clock.now()
        window = window_for(
            self.submission, conference=conference, submission_settings=self.settings
        )
        is_open = window.is_open(now)
        if not is_open:
            # Past the deadline (and any extension or grace): what is saved, read
            # only, rather than a form that is refused only once it is sent; a
            # refused POST keeps its reason.
            if "form" in context:
                context["refusal"] = context["form"].non_field_errors()
            context["form"], context["authors"] = self.read_only_forms()
            context["answers"] = self.answers(disabled=True)
        elif "form" not in context:
            context["form"], context["authors"] = self.forms()
        if "answers" not in context:
            context["answers"] = self.answers()
        context.update(
            submission=self.submission,
            now=now,
            transfer_window_minutes=transfer_window().total_seconds() // 60,
            deadline=window.closes_at,
            deadline_text=describe_deadline(window.closes_at, conference)
            if window.closes_at
            else "",
            is_open=is_open,
        )
        return context

    def sent_files(self) -> list[str]:
        """The labels of the files sent: a browser cannot keep a chosen file when
        the form comes back with an error, so the page asks for them again."""
        labels = {"pdf": "the PDF", "supplementary": "the supplementary material"}
        return [label for name, label in labels.items() if self.request.FILES.get(name)]

    def render_author_row_edit(self, action: str):
        """The form as typed, with one author line added, removed or moved; nothing
        is saved and no error is shown yet (the buttons work without JS)."""
        data = edit_author_rows(self.request.POST, action)
        form = SubmissionForm(
            data,
            conference=current_conference(self.request),
            submission_settings=self.settings,
        )
        authors = AuthorFormSet(data, prefix="authors")
        answers = answers_form(
            self.submission,
            current_conference(self.request),
            data=data,
            files=self.request.FILES,
        )
        # Not validated yet: the author is still typing.
        form._errors = ErrorDict()
        answers._errors = ErrorDict()
        authors._errors = [ErrorDict() for _ in authors.forms]
        authors._non_form_errors = authors.error_class()
        for each in authors.forms:
            each._errors = ErrorDict()
        return self.render_to_response(
            self.get_context_data(
                form=form,
                authors=authors,
                answers=answers,
                files_not_kept=self.sent_files(),
            )
        )

    def read_only_forms(self):
        initial, author_initial = self.initial()
        form = SubmissionForm(
            initial=initial,
            conference=current_conference(self.request),
            submission_settings=self.settings,
        )
        authors = AuthorFormSet(initial=author_initial, prefix="authors")
        authors.extra = 0  # no empty lines to fill in
        for each in [form, *authors.forms]:
            for field in each.fields.values():
                field.disabled = True
        return form, authors

    def post(self, request, *args, **kwargs):
        received_at = clock.now()  # the last byte arrived (the body is parsed)
        # Stamped by submissions.uploads before the body was read; what counts
        # against the deadline, within the transfer window
        # (submissions.deadlines.counted_at).
        started_at = getattr(request, "upload_started_at", None)
        if "author_row" in request.POST:  # add/remove/move a line, without JS
            return self.render_author_row_edit(request.POST["author_row"])
        submitting = request.POST.get("action") == "submit"
        form, authors = self.forms(submitting=submitting)
        answers = self.answers(submitting=submitting)
        context = {
            "form": form,
            "authors": authors,
            "answers": answers,
            "files_not_kept": self.sent_files(),
        }
        valid = [form.is_valid(), authors.is_valid(), answers.is_valid()]
        if not all(valid):
            form.precheck_pdf()
            return self.render_to_response(self.get_context_data(**context))
        # Reviewer-visible answers naming an author are refused, like a byline.
        refusals = scan_answers(answers.inputs(), authors.authors)
        for each in answers.custom_fields:
            if each.pk in refusals:
                answers.add_error(each.slug, refusals[each.pk])
        if refusals:
            return self.render_to_response(self.get_context_data(**context))
        data = form.cleaned_data
        try:
            submission = save_submission(
                self.submission,
                submission_data(form, authors),
                conference=current_conference(request),
                by=request.user,
                pdf=data["pdf"] or None,
                supplementary=data["supplementary"] or None,
                remove_supplementary=data["remove_supplementary"],
                submit=submitting,
                at=received_at,
                started_at=started_at,
            )
            save_answers(submission, answers.inputs(), by=request.user)
        except DeadlinePassed as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(**context), status=403)
        except UploadRejected as error:
            form.add_error("pdf", error)
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
        if data["pdf"] and version is not None and version.warnings:
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
        context["shown"] = shown_answers(
            self.submission.pk, self.submission.conference, audience="authors"
        )
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
        missing = (
            missing_required(self.submission, stage="submission")
            if self.action == "submit"
            else []
        )
        if missing:
            names = ", ".join(f"“{field.label}”" for field in missing)
            messages.error(request, f"Submitting needs an answer to {names}.")
            return redirect("submissions:edit", number=number)
        try:
            service(self.submission, by=request.user, at=received_at)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done.format(n=self.submission.number))
        return redirect("submissions:detail", number=number)

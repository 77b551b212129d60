"""The camera-ready version, slides and poster (authors and chairs), the chairs'
progress page and per-submission extension of the camera-ready deadline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from decisions.views.submission import SubmissionLookupMixin
from haet import clock
from haet.deadlines import describe_deadline
from haet.listing import Listing, Sort
from haet.views import ChairRequiredMixin, current_conference
from proceedings.camera_ready import (
    camera_ready_data,
    camera_ready_page_limit,
    camera_ready_window,
    grant_camera_ready_extension,
    save_camera_ready,
)
from proceedings.forms import MAX_AUTHOR_ROWS, CameraReadyAuthorFormSet, CameraReadyForm
from proceedings.forms import PresentationForm as PresentationUploadForm
from proceedings.jobs import start_camera_ready_reminder
from proceedings.models import CameraReadyVersion
from proceedings.presentations import upload_presentation
from proceedings.queries import AcceptedSubmission, accepted_submissions
from reviews.conflicts import conflicted_submission_ids
from submissions.fields.forms import answers_form
from submissions.fields.services import save_answers, scan_answers
from submissions.forms import ExtensionForm
from submissions.free_text import matches_submission
from submissions.versions import UploadRejected
from submissions.views.downloads import file_response


def _camera_ready(submission):
    """The submission's CameraReady or None (DoesNotExist is an AttributeError)."""
    return getattr(submission, "camera_ready", None)


PRESENTATION_BUTTON = "upload_presentation"
CAMERA_READY_FIELDS = ("title", "proceedings", "arxiv_url")


def typed_camera_ready(post) -> tuple[CameraReadyForm, CameraReadyAuthorFormSet]:
    """The camera-ready form and authors as typed (posted along with a slides or
    poster upload), unbound: shown again to be saved later, never validated nor
    saved by that upload."""
    initial: dict = {name: post.get(name, "") for name in CAMERA_READY_FIELDS}
    initial["copyright_accepted"] = bool(post.get("copyright_accepted"))
    try:
        rows = min(int(post.get("authors-TOTAL_FORMS", 0)), MAX_AUTHOR_ROWS)
    except ValueError:
        rows = 0
    people = [
        {
            key: post.get(f"authors-{i}-{key}", "")
            for key in ("name", "affiliation", "email")
        }
        for i in range(rows)
    ]
    people = [person for person in people if any(person.values())]
    return (
        CameraReadyForm(initial=initial),
        CameraReadyAuthorFormSet(prefix="authors", initial=people),
    )


def in_page_presentation_form(data=None, files=None) -> PresentationUploadForm:
    """Slides or poster as part of the camera-ready page's one form: its own prefix,
    and no `required` in the HTML (the camera-ready's button must not ask for it)."""
    return PresentationUploadForm(
        data, files, prefix="presentation", use_required_attribute=False
    )


class CameraReadyView(SubmissionLookupMixin, TemplateView):
    permission_required = "decisions.edit_camera_ready"
    template_name = "proceedings/camera_ready.html"
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
        data = camera_ready_data(submission)
        if "form" not in context:
            context["form"] = CameraReadyForm(initial=self.saved_initial())
            context["authors"] = CameraReadyAuthorFormSet(
                prefix="authors", initial=data.authors
            )
        window = camera_ready_window(submission, conference=conference)
        now = clock.now()
        context.update(
            submission=submission,
            camera_ready=_camera_ready(submission),
            window=window,
            is_open=window.is_open(now),
            deadline_text=describe_deadline(window.closes_at, conference)
            if window.closes_at
            else "",
            page_limit=camera_ready_page_limit(conference),
        )
        context.setdefault("presentation_form", in_page_presentation_form())
        if "answers" not in context:  # the chairs' camera-ready fields
            context["answers"] = self.answers()
        return context

    def answers(self, *, bound: bool = False):
        request = self.request
        return answers_form(
            self.submission,
            self.submission.conference,
            stage="camera_ready",
            data=request.POST if bound else None,
            files=request.FILES if bound else None,
            submitting=True,
        )

    def post(self, request, number):
        if PRESENTATION_BUTTON in request.POST:
            return self.post_presentation(request)
        at = clock.now()
        form = CameraReadyForm(request.POST, request.FILES)
        authors = CameraReadyAuthorFormSet(request.POST, prefix="authors")
        answers = self.answers(bound=True)
        valid = [form.is_valid(), authors.is_valid(), answers.is_valid()]
        if all(valid):
            refusals = scan_answers(answers.inputs(), self.submission.authors.all())
            for each in answers.custom_fields:
                if each.pk in refusals:
                    answers.add_error(each.slug, refusals[each.pk])
        if not all(valid) or answers.errors:
            return self.render_to_response(
                self.get_context_data(form=form, authors=authors, answers=answers)
            )
        people = [
            f.cleaned_data
            for f in authors.forms
            if f.cleaned_data and (f.cleaned_data.get("name") or "").strip()
        ]
        try:
            save_camera_ready(
                self.submission,
                form.data_with(people),
                by=request.user,
                pdf=form.cleaned_data.get("pdf"),
                at=at,
            )
            save_answers(self.submission, answers.inputs(), by=request.user)
        except UploadRejected as error:
            context = self.get_context_data(form=form, authors=authors, answers=answers)
            context["rejected"] = error.report
            return self.render_to_response(context)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(
                self.get_context_data(form=form, authors=authors, answers=answers)
            )
        messages.success(request, f"Saved the camera-ready of #{number}.")
        if request.FILES.get("presentation-file"):
            messages.warning(
                request,
                "The slides or poster you chose were not uploaded: choose the file "
                "again and press “Upload slides or poster”.",
            )
        return redirect("decisions:camera-ready", number=number)

    def post_presentation(self, request):
        """The page is one form with two buttons (issue 14 item 2): "Upload slides
        or poster" saves only the slides or poster, and shows the page again with
        whatever was typed into the camera-ready fields, unsaved (a file chosen for
        the camera-ready PDF cannot be kept: browsers never refill a file input)."""
        form = in_page_presentation_form(request.POST, request.FILES)
        if save_presentation(request, self.submission, form):
            form = in_page_presentation_form()
            self.__dict__.pop("submission", None)  # re-read: the new file
        typed, authors = typed_camera_ready(request.POST)
        context = self.get_context_data(form=typed, authors=authors)
        context["presentation_form"] = form
        context["unsaved"] = typed.initial != self.saved_initial()
        return self.render_to_response(context)

    def saved_initial(self) -> dict:
        data = camera_ready_data(self.submission)
        return {
            "title": data.title,
            "proceedings": "yes" if data.include_in_proceedings else "no",
            "copyright_accepted": data.copyright_accepted,
            "arxiv_url": data.arxiv_url,
        }


def save_presentation(request, submission, form) -> bool:
    """Upload the slides or poster of a bound form; say what happened. True if saved."""
    if not form.is_valid():
        messages.error(request, "Choose slides or poster and a PDF file.")
        return False
    kind = form.cleaned_data["kind"]
    try:
        upload_presentation(
            submission, kind, form.cleaned_data["file"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, f"Saved the {kind}.")
    return True


class PresentationView(SubmissionLookupMixin, View):
    """POST: slides or poster."""

    permission_required = "decisions.edit_camera_ready"

    def post(self, request, number):
        prefix = "presentation" if "presentation-kind" in request.POST else None
        form = PresentationUploadForm(request.POST, request.FILES, prefix=prefix)
        save_presentation(request, self.submission, form)
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
PROGRESS_SORTS = [
    Sort("number", "#", value=lambda p: p.number),
    Sort("title", "Title", value=lambda p: p.title.casefold()),
    Sort("presentation", "Presentation", value=lambda p: p.presentation),
    Sort(
        "camera",
        "Camera-ready",
        value=lambda p: bool(p.camera_ready and p.camera_ready.is_complete),
    ),
]


def accepted_matches(accepted: AcceptedSubmission, q: str) -> bool:
    names = [author["name"] for author in accepted.authors]
    return matches_submission(
        q, number=accepted.number, title=accepted.title, author_names=names
    )


class CameraReadyProgressView(ChairRequiredMixin, TemplateView):
    permission_required = "decisions.manage"
    template_name = "proceedings/camera_ready_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        hidden = conflicted_submission_ids(self.request.user)
        accepted = [
            p
            for p in accepted_submissions(conference, released_only=False)
            if p.pk not in hidden
        ]
        missing = [
            p for p in accepted if not (p.camera_ready and p.camera_ready.is_complete)
        ]
        listing = Listing(self.request, PROGRESS_SORTS, default="number")
        page = listing.page_list(accepted, match=accepted_matches)
        context.update(
            listing=listing,
            rows=page.object_list,
            accepted=accepted,
            complete_count=len(accepted) - len(missing),
            missing_count=len(missing),
            # Only authors who were told of their acceptance can be reminded: the
            # button counts those, and says why when it cannot remind anybody.
            remindable_count=sum(p.is_released for p in missing),
            unreleased_count=sum(not p.is_released for p in missing),
        )
        return context

    def post(self, request):
        # A background job (issue 14, item 10): one mail per author of every
        # missing camera-ready; its page says how many were queued.
        job = start_camera_ready_reminder(by=request.user)
        return redirect("jobs:detail", pk=job.pk)


class CameraReadyExtensionView(SubmissionLookupMixin, View):
    permission_required = "decisions.decide"

    def post(self, request, number):
        conference = current_conference(request)
        form = ExtensionForm(request.POST, conference=conference)
        if form.is_valid():
            extension = grant_camera_ready_extension(
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

"""The author response: the chairs' window, the authors' page (the reviews so far,
their draft, their one response)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from haet import clock
from haet.views import ChairRequiredMixin, current_conference
from reviews.conflicts import conflicted_submission_ids
from reviews.for_authors import author_reviews
from reviews.forms.responses import ResponseForm, ResponseWindowForm
from reviews.models import AuthorResponse, ResponseWindow
from reviews.responses import (
    is_author_of,
    save_response_draft,
    submit_response,
    update_response_window,
    word_count,
)
from submissions.models import Submission


class ResponseWindowView(ChairRequiredMixin, FormView):
    template_name = "reviews/responses/window_form.html"
    form_class = ResponseWindowForm

    def get_form_kwargs(self):
        conference = current_conference(self.request)
        return {
            **super().get_form_kwargs(),
            "conference": conference,
            "window": ResponseWindow.objects.for_conference(conference),
        }

    def get_context_data(self, **kwargs):
        conference = current_conference(self.request)
        window = ResponseWindow.objects.for_conference(conference)
        return super().get_context_data(
            window=window,
            # Not the chair's conflicted submissions: a count says something too.
            response_count=AuthorResponse.objects.filter(
                submission__conference=conference,
                state=AuthorResponse.State.SUBMITTED,
            )
            .exclude(submission_id__in=conflicted_submission_ids(self.request.user))
            .count(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            update_response_window(
                current_conference(self.request),
                is_enabled=data["is_enabled"],
                opens_at=data["opens_at"],
                last_minute=data["last_minute"],
                word_limit=data["word_limit"],
                updates_last_minute=data["updates_last_minute"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Response window saved.")
        return redirect("reviews:chair-response-window")


class AuthorResponseView(LoginRequiredMixin, TemplateView):
    """GET: the reviews so far and the response form (while the window is open).
    POST: save the draft, or submit. Not an author, or no window: 404."""

    template_name = "reviews/responses/author_response.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        conference = current_conference(request)
        self.submission = get_object_or_404(
            Submission.objects.select_related("conference"),
            number=kwargs["number"],
            conference=conference,
        )
        self.window = ResponseWindow.objects.for_conference(conference)
        self.window.conference = conference
        if not is_author_of(request.user, self.submission) or not (
            self.window.is_enabled
        ):
            raise Http404
        self.response = AuthorResponse.objects.filter(
            submission=self.submission
        ).first()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        is_open = self.window.is_open_at(clock.now())
        response = self.response
        form = kwargs.pop("form", None) or ResponseForm(
            initial={"text": response.text if response else ""}
        )
        is_submitted = bool(response and response.is_submitted)
        return super().get_context_data(
            submission=self.submission,
            window=self.window,
            is_open=is_open,
            is_before=self.window.opens_at is not None
            and clock.now() < self.window.opens_at,
            response=response,
            is_submitted=is_submitted,
            reviews=author_reviews(self.submission) if is_open or is_submitted else [],
            form=form,
            word_count=word_count(form["text"].value() or ""),
            **kwargs,
        )

    def post(self, request, number):
        form = ResponseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        text = form.cleaned_data["text"]
        page = reverse("reviews:response", args=[number])
        try:
            save_response_draft(self.submission, text, by=request.user)
            if request.POST.get("action") == "submit":
                submit_response(self.submission, text, by=request.user)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            # The draft was kept (it is saved before submitting).
            form.add_error(None, error)
            self.response = AuthorResponse.objects.filter(
                submission=self.submission
            ).first()
            return self.render_to_response(self.get_context_data(form=form))
        if request.POST.get("action") == "submit":
            messages.success(
                request, "Response submitted. The reviewers have been told."
            )
        else:
            messages.success(
                request, "Draft saved. Submit it before the window closes."
            )
        return redirect(page)


def response_panel(request, submission: Submission) -> str | None:
    """On the author's submission page (submissions.panels): the response window
    and a link, while chairs have it enabled."""
    window = ResponseWindow.objects.filter(
        conference_id=submission.conference_id, is_enabled=True
    ).first()
    if window is None or submission.is_withdrawn or submission.is_draft:
        return None
    window.conference = submission.conference
    return render_to_string(
        "reviews/responses/_author_panel.html",
        {
            "submission": submission,
            "window": window,
            "is_open": window.is_open_at(clock.now()),
            "response": AuthorResponse.objects.filter(submission=submission).first(),
            "conference": submission.conference,
        },
        request=request,
    )

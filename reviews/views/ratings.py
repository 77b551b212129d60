"""Review quality pages: a chair rates a review (on the chair's review page), the
chairs' outstanding-reviewers page, its public version, and a reviewer's consent
to be listed."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from haet.widgets import Textarea
from reviews.conflicts import conflicted_submission_ids
from reviews.models import Recognition
from reviews.ratings import (
    MAX_NOTE_LENGTH,
    outstanding_reviewers,
    publish_outstanding,
    rate_review,
    reviewer_standings,
    set_listing_consent,
)
from reviews.views.dashboard import ReviewerRequiredMixin
from reviews.views.reviewing import load_submission


class RatingForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(
        choices=[("helpful", "Helpful"), ("not_helpful", "Not helpful")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(required=False, max_length=MAX_NOTE_LENGTH, widget=Textarea)


class RateReviewView(NotFoundOnDeny, View):
    """POST a rating of one review of the submission; back to the chair's page."""

    permission_required = "reviews.chair_view_submission"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    def post(self, request, number):
        back = reverse("reviews:chair-submission", args=[number]) + "#reviews"
        form = RatingForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                "Choose “helpful” or “not helpful” (a note has at most "
                f"{MAX_NOTE_LENGTH:,} characters). Nothing was saved.",
            )
            return redirect(back)
        assignment = next(
            (
                a
                for a in self._submission.assignments.all()
                if a.pk == form.cleaned_data["assignment"]
            ),
            None,
        )
        review = getattr(assignment, "review", None) if assignment else None
        if review is None:
            raise Http404
        review.assignment.submission = self._submission
        try:
            rate_review(
                review,
                is_helpful=form.cleaned_data["rating"] == "helpful",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Rating of {assignment.pseudonym} saved.")
        return redirect(back)


class OutstandingChairView(ChairRequiredMixin, TemplateView):
    """Reviewers by the chairs' ratings (without the chair's conflicted
    submissions), who agreed to be listed, and the publish switch."""

    template_name = "reviews/ratings/outstanding_chair.html"

    def get_context_data(self, **kwargs):
        conference = current_conference(self.request)
        standings = reviewer_standings(
            conference,
            hidden_submission_ids=conflicted_submission_ids(self.request.user),
        )
        return super().get_context_data(
            standings=standings,
            recognition=Recognition.objects.for_conference(conference),
            # From the ratings this chair may see (never their conflicted
            # submissions'); the public page counts every rating.
            listed=[s for s in standings if s.is_outstanding and s.agrees],
            **kwargs,
        )

    def post(self, request):
        publish_outstanding(
            current_conference(request),
            is_published=request.POST.get("publish") == "1",
            by=request.user,
        )
        messages.success(request, "Saved.")
        return redirect("reviews:chair-outstanding")


class OutstandingPublicView(TemplateView):
    """The public list of outstanding reviewers: 404 until chairs publish it."""

    template_name = "reviews/ratings/outstanding.html"

    def get_context_data(self, **kwargs):
        conference = current_conference(self.request)
        if not Recognition.objects.for_conference(conference).is_published:
            raise Http404
        return super().get_context_data(
            reviewers=outstanding_reviewers(conference), **kwargs
        )


class ListingConsentView(ReviewerRequiredMixin, View):
    """POST: a reviewer agrees (or not) to be named among outstanding reviewers."""

    def post(self, request):
        agrees = request.POST.get("agrees") == "1"
        set_listing_consent(request.user, agrees=agrees)
        messages.success(
            request,
            "You may be listed among the outstanding reviewers."
            if agrees
            else "You will not be listed among the outstanding reviewers.",
        )
        return redirect(reverse("reviews:profile") + "#listing")

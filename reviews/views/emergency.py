"""Emergency reviewers: the chairs' list of submissions short of reviews, one
submission's candidates with the one-step invitation, and the invitee's link."""

from datetime import UTC, timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import User
from haet.views import ChairRequiredMixin, current_conference
from reviews.conflicts import conflicted_submission_ids
from reviews.emergency import (
    accept_emergency,
    candidates,
    decline_emergency,
    invite_emergency_reviewer,
    is_near_deadline,
    review_deadline,
    short_submissions,
)
from reviews.forms.delegation import EmergencyInviteForm
from reviews.models import EmergencyInvitation
from reviews.queries import with_review_stats
from submissions.models import Submission


class EmergencyListView(ChairRequiredMixin, TemplateView):
    """Submissions short of reviews, flagged near the review deadline."""

    template_name = "reviews/emergency/short_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        closes_at = review_deadline(conference)
        context.update(
            submissions=short_submissions(conference, by=self.request.user),
            is_near_deadline=is_near_deadline(conference),
            deadline_text=describe_deadline(closes_at, conference) if closes_at else "",
        )
        return context


class EmergencySubmissionView(ChairRequiredMixin, TemplateView):
    """One submission: its review count, unconflicted pool members ranked by
    affinity and load, and the invitation form (reviewer and due date)."""

    template_name = "reviews/emergency/submission.html"

    def get_submission(self) -> Submission:
        conference = current_conference(self.request)
        submission = get_object_or_404(
            with_review_stats(
                Submission.objects.filter(conference=conference).prefetch_related(
                    "topics"
                )
            ),
            number=self.kwargs["number"],
        )
        if submission.pk in conflicted_submission_ids(self.request.user):
            raise Http404
        submission.conference = conference
        return submission

    def default_due_at(self):
        """A week from now, at the end of the day (UTC)."""
        return (
            (clock.now() + timedelta(days=7))
            .astimezone(UTC)
            .replace(hour=23, minute=59, second=0, microsecond=0)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = kwargs.get("submission") or self.get_submission()
        found = candidates(submission, by=self.request.user)
        context.update(
            can_invite=any(not c.invitation_status for c in found),
            number=submission.number,
            title=submission.title,
            review_count=submission.review_count,
            assignment_count=submission.assignment_count,
            candidates=found,
            form=kwargs.get("form")
            or EmergencyInviteForm(
                candidates=found,
                initial={
                    "due_at": self.default_due_at().strftime("%Y-%m-%dT%H:%M"),
                    "reviewer": next(
                        (c.user_id for c in found if not c.invitation_status), None
                    ),
                },
            ),
        )
        return context

    def post(self, request, number):
        submission = self.get_submission()
        found = candidates(submission, by=request.user)
        form = EmergencyInviteForm(request.POST, candidates=found)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(submission=submission, form=form)
            )
        reviewer = User.objects.get(pk=form.cleaned_data["reviewer"])
        try:
            invite_emergency_reviewer(
                submission,
                reviewer,
                due_at=form.cleaned_data["due_at"],
                by=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(
                self.get_context_data(submission=submission, form=form)
            )
        messages.success(
            request, f"{reviewer.display_name} is invited to review #{number}."
        )
        return redirect("reviews:chair-emergency-submission", number=number)


class EmergencyAnswerView(TemplateView):
    """The invitee's link: accept (assigned at once, straight to the submission)
    or decline. Only the invited account answers; anyone else reads a 404-like
    refusal, and the page names the submission by number only."""

    template_name = "reviews/emergency/answer.html"

    def get_invitation(self) -> EmergencyInvitation:
        return get_object_or_404(
            EmergencyInvitation.objects.select_related("submission__conference"),
            token=self.kwargs["token"],
        )

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        invitation = self.get_invitation()
        if (
            invitation.status == EmergencyInvitation.Status.ACCEPTED
            and invitation.reviewer_id == request.user.pk
        ):  # the link stays their way to the submission
            return redirect("reviews:submission", number=invitation.submission.number)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.get_invitation()
        if invitation.reviewer_id != self.request.user.pk:
            raise Http404
        conference = invitation.submission.conference
        context.update(
            status=invitation.status,
            number=invitation.submission.number,
            title=invitation.submission.title,
            due_text=describe_deadline(invitation.due_at, conference),
        )
        return context

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        invitation = self.get_invitation()
        if invitation.reviewer_id != request.user.pk:
            raise Http404
        number = invitation.submission.number
        try:
            if request.POST.get("action") == "accept":
                accept_emergency(invitation, user=request.user)
                messages.success(request, "Thank you! Here is the submission.")
                return redirect("reviews:submission", number=number)
            decline_emergency(invitation, user=request.user)
            messages.success(request, "Thank you for letting us know.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("reviews:emergency-answer", token=token)

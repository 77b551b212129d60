"""Area chairs' pages: the chairs' page (settings, the role, invitations,
assignments by hand or by the solver), the area chair's list of their
submissions, one submission with its reviews and discussion, and the answer to
an invitation.

Blind by construction like the reviewers' pages: area-chair templates receive a
`BlindSubmission` and `ReviewItem`/`PostItem` rows, never a `Submission` (and no
`view`, which would hold it)."""

from dataclasses import dataclass

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from haet.models import User
from haet.posted import posted_id
from haet.rules import REVIEWERS, conflicted_submission_ids, is_area_chair
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from reviews.area_chair_solver import assign_area_chairs_automatically
from reviews.area_chairs import (
    answer_area_chair_invitation,
    appoint_area_chair,
    area_chair_settings,
    area_chairs,
    assign_area_chair,
    dismiss_area_chair,
    invite_area_chair,
    unassign_area_chair,
    update_area_chair_settings,
)
from reviews.blind import blind
from reviews.forms.reviewing import PostForm
from reviews.models import AreaChairInvitation, ReviewForm
from reviews.reviewing import active_questions
from reviews.views.downloads import ReviewerCopyView
from reviews.views.reviewing import (
    BlindContextMixin,
    discussion,
    load_submission,
    review_item,
)
from submissions.models import Submission

rules.add_perm("reviews.area_chair", is_area_chair)


# --- the chairs' page ---------------------------------------------------------------
class ChairAreaChairsView(ChairRequiredMixin, TemplateView):
    """GET: the page. POST `action`: settings, appoint, dismiss, invite, auto,
    assign (one submission; a blank area chair removes it)."""

    template_name = "reviews/area_chairs/chair.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        hidden = conflicted_submission_ids(self.request.user)
        people = list(
            User.objects.filter(pk__in=[u.pk for u in area_chairs()])
            .annotate(
                load=Count(
                    "area_chair_assignments",
                    filter=~Q(area_chair_assignments__submission__in=hidden),
                )
            )
            .order_by("name", "email")
        )
        submissions = list(
            Submission.objects.filter(conference=conference)
            .exclude(state__in=[Submission.State.DRAFT, Submission.State.WITHDRAWN])
            .exclude(pk__in=hidden)
            .select_related("area_chair_assignment__area_chair")
            .order_by("number")
        )
        for submission in submissions:
            found = getattr(submission, "area_chair_assignment", None)
            submission.area_chair_id = found.area_chair_id if found else None  # type: ignore[attr-defined]
        context.update(
            settings_row=area_chair_settings(conference),
            people=people,
            candidates=User.objects.filter(groups__name=REVIEWERS, is_active=True)
            .exclude(pk__in=[p.pk for p in people])
            .distinct()
            .order_by("name", "email"),
            invitations=AreaChairInvitation.objects.order_by("email"),
            submissions=submissions,
        )
        return context

    def post(self, request):
        conference = current_conference(request)
        action = request.POST.get("action", "")
        by = request.user
        try:
            if action == "settings":
                try:
                    max_load = int(request.POST.get("max_load", ""))
                except ValueError:
                    raise ValidationError("The load must be a whole number.") from None
                update_area_chair_settings(
                    conference,
                    is_enabled=request.POST.get("is_enabled") == "on",
                    max_load=max_load,
                    by=by,
                )
                messages.success(request, "Area chair settings saved.")
            elif action in ("appoint", "dismiss"):
                person = get_object_or_404(User, pk=posted_id(request, "user"))
                if action == "appoint":
                    appoint_area_chair(person, by=by)
                    messages.success(request, f"{person} is an area chair.")
                else:
                    dismiss_area_chair(person, by=by)
                    messages.success(request, f"{person} is no longer an area chair.")
            elif action == "invite":
                invitation, is_new = invite_area_chair(
                    request.POST.get("email", ""),
                    name=request.POST.get("name", "").strip(),
                    by=by,
                )
                messages.success(
                    request,
                    f"Invitation sent to {invitation.email}."
                    if is_new
                    else f"{invitation.email} was invited already.",
                )
            elif action == "auto":
                run = assign_area_chairs_automatically(conference, by=by)
                plural = "" if run.assigned == 1 else "s"
                text = f"{run.assigned} submission{plural} got an area chair."
                if run.unfilled:
                    text += " Still without one: " + ", ".join(
                        f"#{n}" for n in run.unfilled
                    )
                messages.success(request, text)
            elif action == "assign":
                self.assign(request)
            else:
                messages.error(request, "Unknown action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404 from error
        return redirect("reviews:area-chairs")

    def assign(self, request) -> None:
        submission = get_object_or_404(
            Submission.objects.exclude(state=Submission.State.DRAFT),
            number=posted_id(request, "number"),
            conference=current_conference(request),
        )
        if submission.pk in conflicted_submission_ids(request.user):
            raise Http404
        chosen = request.POST.get("area_chair", "")
        if not chosen:
            unassign_area_chair(submission, by=request.user)
            messages.success(request, f"#{submission.number} has no area chair.")
            return
        person = get_object_or_404(User, pk=chosen if chosen.isdigit() else 0)
        assign_area_chair(submission, person, by=request.user)
        messages.success(request, f"#{submission.number}: area chair {person}.")


# --- the area chair's side ---------------------------------------------------------
@dataclass(frozen=True)
class AreaChairRow:
    """One of the area chair's submissions, blind."""

    number: int
    title: str
    reviews_done: int
    reviewers: int
    has_meta_review: bool


class AreaChairDashboardView(BlindContextMixin, NotFoundOnDeny, TemplateView):
    permission_required = "reviews.area_chair"
    template_name = "reviews/area_chairs/dashboard.html"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        conference = current_conference(self.request)
        # The meta-review is the decisions app's model: read through the
        # submission's relation by name, never imported.
        found = (
            Submission.objects.filter(
                conference=conference, area_chair_assignment__area_chair=user
            )
            .exclude(state__in=[Submission.State.DRAFT, Submission.State.WITHDRAWN])
            .exclude(pk__in=hidden)
            .annotate(
                reviewers=Count("assignments", distinct=True),
                reviews_done=Count(
                    "assignments",
                    filter=Q(assignments__review__state="submitted"),
                    distinct=True,
                ),
                meta=Count("meta_review", distinct=True),
            )
            .order_by("number")
            .values_list("number", "title", "reviews_done", "reviewers", "meta")
        )
        context["rows"] = [
            AreaChairRow(number, title, done, reviewers, bool(meta))
            for number, title, done, reviewers, meta in found
        ]
        context["can_write_meta_reviews"] = area_chair_settings(conference).is_enabled
        return context


class AreaChairSubmissionView(BlindContextMixin, NotFoundOnDeny, TemplateView):
    """One of the area chair's submissions: abstract, the submitted reviews and
    the discussion, under pseudonyms; they post in it, signed "Area chair"."""

    permission_required = "reviews.area_chair_view"
    template_name = "reviews/area_chairs/submission.html"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self._submission
        conference = current_conference(self.request)
        questions = active_questions(ReviewForm.objects.for_conference(conference))
        awards = {a.pk: a.name for a in conference.award_categories.all()}
        reviews = [
            review_item(a.review, a, questions=questions, awards=awards, is_own=False)
            for a in submission.assignments.all()
            if getattr(a, "review", None) is not None and a.review.is_submitted
        ]
        version = submission.current_version
        context.update(
            blind_submission=blind(submission),
            has_reviewer_copy=version is not None and bool(version.reviewer_copy),
            reviewer_count=len(submission.assignments.all()),
            reviews=reviews,
            posts=discussion(submission, viewer=self.request.user),
            can_post=self.request.user.has_perm("reviews.post_discussion", submission),
            post_form=PostForm.for_page(self.request, submission),
            can_write_meta_review=area_chair_settings(conference).is_enabled,
        )
        return context


class AreaChairCopyView(ReviewerCopyView):
    """The reviewer copy (author metadata removed at upload), for the area chair."""

    permission_required = "reviews.area_chair_view"


class AreaChairInvitationView(LoginRequiredMixin, TemplateView):
    """The invitee's page: accept (become an area chair) or decline."""

    template_name = "reviews/area_chairs/invitation.html"

    def invitation(self) -> AreaChairInvitation:
        return get_object_or_404(AreaChairInvitation, token=self.kwargs["token"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation()
        return context

    def post(self, request, token):
        accept = request.POST.get("answer") == "accept"
        try:
            answer_area_chair_invitation(
                self.invitation(), user=request.user, accept=accept
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reviews:area-chair-invitation", token=token)
        if accept:
            messages.success(request, "Welcome: you are an area chair.")
            return redirect("reviews:area-chair-dashboard")
        messages.success(request, "Thank you for answering.")
        return redirect("home")

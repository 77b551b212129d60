"""Delegation pages: the reviewer's (propose, follow, comment, withdraw), the
delegate's (the invitation link, then their one submission with the draft), and the
chairs' (approve or refuse; who wrote which review).

Blind by construction like the reviewer's page: the delegate's templates receive a
`BlindSubmission` (its downloads pointing at the delegate's own, permission-checked
URLs) and plain rows, never a model leading to the authors. The delegate sees the
pseudonym the review is signed with, never the delegating reviewer's name on
anything authors or other reviewers read.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from haet import clock
from haet.deadlines import describe_deadline
from haet.views import NotFoundOnDeny, current_conference
from reviews import rules as reviewing_rules
from reviews.blind import blind
from reviews.delegation import (
    accept_delegation,
    comment_on_delegation,
    decline_delegation,
    propose_delegation,
    save_delegated_draft,
    withdraw_delegation,
)
from reviews.forms.delegation import DelegationCommentForm, ProposeDelegateForm
from reviews.forms.reviewing import ReviewAnswersForm
from reviews.models import Delegation, DelegationComment, ReviewForm
from reviews.reviewing import ReviewDeadlinePassed, active_questions, review_closes_at
from reviews.views.downloads import ReviewerCopyView, SupplementaryView
from reviews.views.reviewing import BlindContextMixin, load_submission


@dataclass(frozen=True)
class CommentItem:
    signed: str  # "You", "Your delegate", "The reviewer"
    body: str
    created_at: datetime


def comment_items(delegation: Delegation | None, *, viewer_id: int) -> list:
    if delegation is None:
        return []
    reviewer_id = delegation.assignment.reviewer_id
    items = []
    for comment in delegation.comments.all():
        if comment.author_id == viewer_id:
            signed = "You"
        elif comment.author_id == reviewer_id:
            signed = "The reviewer"
        else:
            signed = "Your delegate"
        items.append(CommentItem(signed, comment.body, comment.created_at))
    return items


def _comments_prefetch() -> Prefetch:
    return Prefetch(
        "comments", queryset=DelegationComment.objects.order_by("created_at", "pk")
    )


# --- the delegating reviewer ---------------------------------------------------------
class DelegationView(BlindContextMixin, NotFoundOnDeny, TemplateView):
    """The assigned reviewer's delegation page for one submission."""

    permission_required = "reviews.write_review"
    template_name = "reviews/delegation/delegation_detail.html"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    @property
    def assignment(self):
        return reviewing_rules.own_assignment(self.request.user, self._submission)

    def delegations(self) -> list[Delegation]:
        return list(
            Delegation.objects.filter(assignment=self.assignment)
            .select_related("assignment")
            .prefetch_related(_comments_prefetch())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self._submission
        conference = current_conference(self.request)
        delegations = self.delegations()
        live = next((d for d in delegations if d.is_live), None)
        review = getattr(self.assignment, "review", None)
        closes_at = review_closes_at(self.assignment, conference=conference)
        context.update(
            number=submission.number,
            title=submission.title,
            pseudonym=self.assignment.pseudonym,
            live=live,
            past=[d for d in delegations if not d.is_live],
            comments=comment_items(live, viewer_id=self.request.user.pk),
            review_state=review.get_state_display() if review else "not started",
            is_submitted=bool(review and review.is_submitted),
            deadline_text=describe_deadline(closes_at, conference) if closes_at else "",
            needs_approval=reviewing_rules.review_settings(
                submission
            ).delegation_needs_approval,
            form=kwargs.get("form") or ProposeDelegateForm(),
            comment_form=kwargs.get("comment_form") or DelegationCommentForm(),
        )
        return context

    def post(self, request, number):
        page = reverse("reviews:delegation", args=[number])
        action = request.POST.get("action")
        live = next((d for d in self.delegations() if d.is_live), None)
        try:
            if action == "propose":
                form = ProposeDelegateForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                try:
                    delegation = propose_delegation(
                        self.assignment, by=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    return self.render_to_response(self.get_context_data(form=form))
                messages.success(
                    request,
                    "Sent to the chairs for approval."
                    if delegation.status == Delegation.Status.AWAITING_APPROVAL
                    else f"{delegation.name} is invited by email.",
                )
            elif action == "comment" and live is not None:
                comment_form = DelegationCommentForm(request.POST)
                if not comment_form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(comment_form=comment_form)
                    )
                comment_on_delegation(
                    live, comment_form.cleaned_data["body"], by=request.user
                )
                messages.success(request, "Note added.")
            elif action == "withdraw" and live is not None:
                withdraw_delegation(live, by=request.user)
                messages.success(request, "Delegation withdrawn: the review is yours.")
            else:
                messages.error(request, "Nothing to do.")
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(page)


# --- the delegate: the invitation link ------------------------------------------------
class DelegationAnswerView(TemplateView):
    """The link in the delegate's mail: anyone holding it may answer; accepting
    needs an account (sign up or log in, then back here). The page names the
    submission by number only: its title waits for the accepted, checked account."""

    template_name = "reviews/delegation/answer.html"

    def get_delegation(self) -> Delegation:
        return get_object_or_404(
            Delegation.objects.select_related("assignment__submission"),
            token=self.kwargs["token"],
        )

    def can_open(self, delegation: Delegation) -> bool:
        """The signed-in user is its accepted delegate and may still open the
        submission (not since conflicted with it: that page is a 404)."""
        user = self.request.user
        return (
            delegation.status == Delegation.Status.ACCEPTED
            and user.is_authenticated
            and delegation.delegate_id == user.pk
            and user.has_perm(
                "reviews.write_delegated_review", delegation.assignment.submission
            )
        )

    def get(self, request, *args, **kwargs):
        # The accepted delegate's link stays their way back to the submission.
        delegation = self.get_delegation()
        if self.can_open(delegation):
            return redirect(
                "reviews:delegated", number=delegation.assignment.submission.number
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delegation = self.get_delegation()
        here = self.request.get_full_path()
        user = self.request.user
        context.update(
            status=delegation.status,
            name=delegation.name,
            number=delegation.assignment.submission.number,
            is_own=user.is_authenticated and delegation.delegate_id == user.pk,
            can_open=self.can_open(delegation),
            login_url=f"{reverse('account_login')}?{urlencode({'next': here})}",
            signup_url=f"{reverse('account_signup')}?{urlencode({'next': here})}",
        )
        return context

    def post(self, request, token):
        delegation = self.get_delegation()
        number = delegation.assignment.submission.number
        if request.POST.get("action") == "accept":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                accept_delegation(delegation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("reviews:delegation-answer", token=token)
            messages.success(request, "Thank you! Here is the submission to review.")
            return redirect("reviews:delegated", number=number)
        try:
            decline_delegation(delegation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thank you for letting us know.")
        return redirect("reviews:delegation-answer", token=token)


# --- the delegate: their one submission -----------------------------------------------
class DelegateMixin(NotFoundOnDeny):
    permission_required = "reviews.write_delegated_review"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    @property
    def delegation(self) -> Delegation:
        found = reviewing_rules.accepted_delegation(self.request.user, self._submission)
        if found is None:  # the permission checked it; a race ends here
            raise Http404
        return found


class DelegatedReviewView(BlindContextMixin, DelegateMixin, TemplateView):
    """The delegate's page: the blind submission, the due date, the draft (saved,
    never submitted: the reviewer does that) and the notes with the reviewer."""

    template_name = "reviews/delegation/delegated_review.html"

    def questions(self):
        form = ReviewForm.objects.for_conference(current_conference(self.request))
        return form, active_questions(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self._submission
        conference = current_conference(self.request)
        delegation = self.delegation
        assignment = next(
            a for a in submission.assignments.all() if a.pk == delegation.assignment_id
        )
        review = getattr(assignment, "review", None)
        review_form, questions = self.questions()
        awards = list(conference.award_categories.all())
        if "form" not in kwargs:
            kwargs["form"] = ReviewAnswersForm(
                questions=questions,
                awards=awards,
                initial=ReviewAnswersForm.initial_from(
                    questions, review.answers if review else {}
                ),
            )
        closes_at = review_closes_at(assignment, conference=conference)
        number = submission.number
        shown = blind(submission)
        shown = replace(
            shown,
            pdf_url=reverse("reviews:delegated-paper", args=[number])
            if shown.pdf_url
            else "",
            supplementary_url=reverse("reviews:delegated-supplementary", args=[number])
            if shown.supplementary_url
            else "",
        )
        context.update(
            blind_submission=shown,
            pseudonym=assignment.pseudonym,
            is_submitted=bool(review and review.is_submitted),
            has_draft=review is not None,
            instructions=review_form.instructions,
            deadline_text=describe_deadline(closes_at, conference) if closes_at else "",
            is_open=closes_at is None or clock.now() < closes_at,
            comments=comment_items(delegation, viewer_id=self.request.user.pk),
            comment_form=kwargs.get("comment_form") or DelegationCommentForm(),
            **kwargs,
        )
        return context

    def post(self, request, number):
        page = reverse("reviews:delegated", args=[number])
        delegation = self.delegation
        try:
            if request.POST.get("action") == "comment":
                comment_form = DelegationCommentForm(request.POST)
                if not comment_form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(comment_form=comment_form)
                    )
                comment_on_delegation(
                    delegation, comment_form.cleaned_data["body"], by=request.user
                )
                messages.success(request, "Note added.")
                return redirect(f"{page}#notes")
            _, questions = self.questions()
            awards = list(current_conference(request).award_categories.all())
            form = ReviewAnswersForm(request.POST, questions=questions, awards=awards)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            try:
                save_delegated_draft(delegation, form.answers(), by=request.user)
            except ReviewDeadlinePassed as error:
                messages.error(request, " ".join(error.messages))
                return redirect(page)
            except ValidationError as error:
                form.add_service_errors(error)
                messages.error(request, "Your draft was not saved: see below.")
                return self.render_to_response(self.get_context_data(form=form))
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(
            request, "Draft saved. The reviewer reads it and submits the review."
        )
        return redirect(f"{page}#review")


class DelegatedCopyView(DelegateMixin, ReviewerCopyView):
    """The reviewer copy, for the delegate."""

    permission_required = "reviews.write_delegated_review"


class DelegatedSupplementaryView(DelegateMixin, SupplementaryView):
    permission_required = "reviews.write_delegated_review"

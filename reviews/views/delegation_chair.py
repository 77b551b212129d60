"""The chairs' delegation page: every delegation they may see (never one of a
submission they are conflicted with), who wrote which review, and the approval of
those awaiting it (when the review settings ask for it)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from haet.posted import posted_id
from haet.views import ChairRequiredMixin, current_conference
from reviews.conflicts import conflicted_submission_ids
from reviews.delegation import approve_delegation, refuse_delegation
from reviews.models import Delegation


# --- the chairs -----------------------------------------------------------------------
@dataclass(frozen=True)
class ChairDelegationItem:
    pk: int
    number: int
    title: str
    pseudonym: str
    reviewer_name: str
    delegate_name: str
    delegate_email: str
    status: str
    status_label: str
    drafted_at: datetime | None
    created_at: datetime


class ChairDelegationListView(ChairRequiredMixin, TemplateView):
    """Every delegation the chair may see: approve or refuse those awaiting them,
    and who wrote which review."""

    template_name = "reviews/delegation/chair_list.html"

    def visible(self):
        hidden = conflicted_submission_ids(self.request.user)
        return (
            Delegation.objects.filter(
                assignment__submission__conference=current_conference(self.request)
            )
            .exclude(assignment__submission_id__in=hidden)
            .select_related(
                "assignment__submission", "assignment__reviewer", "delegate"
            )
            .order_by("assignment__submission__number", "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = [
            ChairDelegationItem(
                pk=d.pk,
                number=d.assignment.submission.number,
                title=d.assignment.submission.title,
                pseudonym=d.assignment.pseudonym,
                reviewer_name=d.assignment.reviewer.display_name,
                delegate_name=d.delegate.display_name if d.delegate else d.name,
                delegate_email=d.delegate.email if d.delegate else d.email,
                status=d.status,
                status_label=d.get_status_display(),
                drafted_at=d.drafted_at,
                created_at=d.created_at,
            )
            for d in self.visible()
        ]
        context.update(
            delegations=items,
            awaiting=[
                i for i in items if i.status == Delegation.Status.AWAITING_APPROVAL
            ],
        )
        return context

    def post(self, request):
        try:
            delegation = self.visible().get(pk=posted_id(request, "delegation"))
        except Delegation.DoesNotExist as error:
            raise Http404 from error
        try:
            if request.POST.get("action") == "approve":
                approve_delegation(delegation, by=request.user)
                messages.success(request, "Approved: the delegate is invited.")
            else:
                refuse_delegation(
                    delegation,
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "Refused: the reviewer keeps the review.")
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("reviews:chair-delegations")

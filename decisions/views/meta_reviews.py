"""Meta-reviews: the chairs' list (and the "required" setting), the page where a
chair or the submission's area chair writes one, and the authors' panel.

The writing page is blind for everybody: it receives a `BlindSubmission`, never
the `Submission` (an area chair must not reach the authors; chairs read them on
their own pages)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views.generic import TemplateView

from decisions.meta_reviews import (
    MAX_LENGTH,
    meta_review_of,
    meta_review_settings,
    save_meta_review,
    set_meta_review_required,
)
from decisions.models import DECISION_LABELS, MetaReview, outcome_of
from haet.rules import conflicted_submission_ids, is_chair
from haet.views import NotFoundOnDeny, current_conference
from reviews.blind import blind
from submissions.models import Submission


# --- the chairs' list ---------------------------------------------------------------
@dataclass(frozen=True)
class MetaReviewRow:
    number: int
    title: str
    decision: str
    area_chair: str
    has_meta_review: bool
    is_missing: bool  # decided, none written, and the chairs require one


class MetaReviewListView(NotFoundOnDeny, TemplateView):
    permission_required = "decisions.manage_meta_reviews"
    template_name = "decisions/meta_reviews/list.html"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        required = meta_review_settings(conference).is_required
        hidden = conflicted_submission_ids(self.request.user)
        submissions = (
            Submission.objects.filter(conference=conference)
            .exclude(state=Submission.State.DRAFT)
            .exclude(pk__in=hidden)
            .select_related(
                "decision", "meta_review", "area_chair_assignment__area_chair"
            )
            .order_by("number")
        )
        rows = []
        for submission in submissions:
            decision = _related(submission, "decision")
            found = _related(submission, "area_chair_assignment")
            has_meta = _related(submission, "meta_review") is not None
            rows.append(
                MetaReviewRow(
                    number=submission.number,
                    title=submission.title,
                    decision=DECISION_LABELS[outcome_of(submission, decision)],
                    area_chair=found.area_chair.display_name if found else "",
                    has_meta_review=has_meta,
                    is_missing=required and decision is not None and not has_meta,
                )
            )
        context.update(rows=rows, is_required=required)
        return context

    def post(self, request):
        set_meta_review_required(
            current_conference(request),
            is_required=request.POST.get("is_required") == "on",
            by=request.user,
        )
        messages.success(request, "Saved.")
        return redirect("decisions:meta-reviews")


def _related(submission: Submission, name: str):
    """A selected one-to-one relation or None, without raising."""
    try:
        return getattr(submission, name)
    except Exception:  # the relation's DoesNotExist
        return None


# --- writing one ---------------------------------------------------------------------
class MetaReviewView(NotFoundOnDeny, TemplateView):
    """GET: the form (with the current text). POST: save; bad input keeps what
    was typed and says what is wrong."""

    permission_required = "decisions.write_meta_review"
    template_name = "decisions/meta_reviews/edit.html"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            submission = get_object_or_404(
                Submission.objects.exclude(state=Submission.State.DRAFT)
                .select_related("current_version", "area_chair_assignment")
                .prefetch_related("topics"),
                number=self.kwargs["number"],
                conference=current_conference(self.request),
            )
            submission.conference = current_conference(self.request)
            self._submission = submission
        return self._submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.pop("view", None)  # the view holds the Submission
        submission = self._submission
        found = meta_review_of(submission)
        user = self.request.user
        context.setdefault(
            "values",
            {
                "to_authors": found.to_authors if found else "",
                "note_to_chairs": found.note_to_chairs if found else "",
            },
        )
        context.update(
            blind_submission=blind(submission),
            meta_review=found,
            max_length=MAX_LENGTH,
            is_chair=is_chair(user),
            errors=kwargs.get("errors", {}),
        )
        return context

    def post(self, request, number):
        values = {
            "to_authors": request.POST.get("to_authors", ""),
            "note_to_chairs": request.POST.get("note_to_chairs", ""),
        }
        try:
            save_meta_review(self._submission, **values, by=request.user)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, "The meta-review was not saved: see below.")
            return self.render_to_response(
                self.get_context_data(values=values, errors=error.message_dict)
            )
        messages.success(request, f"Meta-review of #{number} saved.")
        return redirect("decisions:meta-review", number=number)


# --- the authors' panel ---------------------------------------------------------------
def meta_review_panel(request: HttpRequest, submission: Submission) -> str | None:
    """The meta-review on the author's submission page, once the decision is
    released (submissions.panels)."""
    if submission.is_draft or not request.user.has_perm(
        "decisions.read_outcome", submission
    ):
        return None
    found = MetaReview.objects.filter(
        submission=submission, submission__decision__released_at__isnull=False
    ).first()
    if found is None:
        return None
    return render_to_string(
        "decisions/meta_reviews/_panel.html",
        {"meta_review": found},
        request=request,
    )

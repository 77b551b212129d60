"""One submission: everything chairs decide on, and the outcome as its authors
read it once released."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from decisions.deciding import clear_decision, decide
from decisions.forms import CLEAR, DecisionForm
from decisions.meta_reviews import meta_review_of
from decisions.models import DECISION_LABELS
from decisions.rules import decision_of
from haet.views import NotFoundOnDeny, current_conference
from reviews.for_authors import answer_text, author_reviews
from reviews.models import DiscussionPost, Review, ReviewForm, ReviewQuestion
from reviews.queries import chair_neighbours
from submissions.models import Submission


class SubmissionLookupMixin(NotFoundOnDeny):
    """One submission of the current conference by number (not a draft), with what
    its pages read; the camera-ready relations (the proceedings app's models) are
    named as strings, never imported."""

    prefetch: tuple = ()

    @cached_property
    def submission(self) -> Submission:
        submission = get_object_or_404(
            Submission.objects.exclude(state=Submission.State.DRAFT)
            .select_related("decision", "camera_ready__current_version", "contact")
            .prefetch_related(
                Prefetch("authors"),
                "topics",
                "camera_ready_extensions",
                *self.prefetch,
            ),
            number=self.kwargs["number"],
            conference=current_conference(self.request),
        )
        submission.conference = current_conference(self.request)
        return submission

    def get_permission_object(self):
        return self.submission


class ChairSubmissionView(SubmissionLookupMixin, TemplateView):
    """A submission with everything chairs decide on: every review answer
    (confidential ones too), the discussion, nominations, and the decision."""

    permission_required = "decisions.decide"
    template_name = "decisions/submission.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        conference = submission.conference
        questions = list(
            ReviewForm.objects.for_conference(conference)
            .questions.filter(is_active=True)
            .order_by("order", "pk")
        )
        reviews = list(
            Review.objects.filter(assignment__submission=submission)
            .select_related("assignment__reviewer")
            .prefetch_related("nominations__award")
            .order_by("assignment__pseudonym_index")
        )
        for review in reviews:
            review.rows = [
                (
                    question,
                    answer_text(question, review.answers.get(question.key)),
                )
                for question in questions
                if question.kind != ReviewQuestion.Kind.NOMINATIONS
            ]
        pseudonyms = {a.reviewer_id: a.pseudonym for a in submission.assignments.all()}
        posts = list(
            DiscussionPost.objects.filter(submission=submission)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        for post in posts:
            post.signature = pseudonyms.get(post.author_id) or "Chair"
        decision = decision_of(submission)
        context.update(
            submission=submission,
            reviews=reviews,
            posts=posts,
            decision=decision,
            logs=submission.decision_logs.select_related("by").order_by("at", "pk"),
            form=context.get("form")
            or DecisionForm(
                initial={
                    "outcome": decision.outcome if decision else "",
                    "reason": decision.reason if decision else "",
                }
            ),
            blind=self.request.GET.get("blind") == "1",
            neighbours=chair_neighbours(self.request.user, submission),
        )
        return context

    def post(self, request, number):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            if data["outcome"] == CLEAR:
                clear_decision(self.submission, by=request.user)
                messages.success(request, f"#{number} is undecided again.")
            else:
                decide(
                    self.submission,
                    data["outcome"],
                    reason=data["reason"],
                    by=request.user,
                    confirm_correction=data["confirm_correction"],
                )
                messages.success(
                    request, f"#{number}: {DECISION_LABELS[data['outcome']]}."
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("decisions:submission", number=number)


class AuthorView(SubmissionLookupMixin, TemplateView):
    """The decision and the reviews as the authors see them, once released."""

    permission_required = "decisions.view_outcome"
    template_name = "decisions/author_view.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        user = self.request.user
        can_read = user.has_perm("decisions.read_outcome", submission)
        decision = decision_of(submission) if can_read else None
        context.update(
            submission=submission,
            decision=decision,
            is_released=bool(decision and decision.is_released),
            reviews=author_reviews(submission) if decision else [],
            meta_review=meta_review_of(submission) if decision else None,
            can_edit_camera_ready=user.has_perm(
                "decisions.edit_camera_ready", submission
            ),
            camera_ready=_camera_ready(submission),
        )
        return context


def _camera_ready(submission):
    """The submission's camera-ready (proceedings.models) or None: the related
    object's DoesNotExist is also an AttributeError."""
    return getattr(submission, "camera_ready", None)

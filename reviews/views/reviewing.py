"""The reviewer's page per assignment and the discussion.

The blind submission, the reviewer copy, their review, the others' reviews and the
discussion under pseudonyms. Blind by construction: reviewer templates receive a
`BlindSubmission` and plain `ReviewItem`/`PostItem` rows, never a model instance that
leads to the submission, its authors or another reviewer (and no `view`, which would
hold the object). Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go
to the login."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import User
from haet.rules import AREA_CHAIRS, CHAIRS
from haet.views import NotFoundOnDeny, current_conference
from reviews import rules as reviewing_rules
from reviews.blind import blind
from reviews.conflicts import ConflictIndex
from reviews.forms.reviewing import (
    PostForm,
    ReviewAnswersForm,
)
from reviews.models import (
    Assignment,
    DiscussionPost,
    Review,
    ReviewForm,
    ReviewQuestion,
    ReviewSettings,
)
from reviews.queries import reviewer_neighbours
from reviews.reviewing import (
    ReviewDeadlinePassed,
    active_questions,
    post_to_discussion,
    review_closes_at,
    reviewer_update_until,
    save_review,
)
from submissions.fields.queries import reviewer_answers
from submissions.models import Submission

Kind = ReviewQuestion.Kind
Visibility = ReviewQuestion.Visibility


# --- what reviewer templates receive -----------------------------------------------
@dataclass(frozen=True)
class Answer:
    label: str
    text: str
    is_chairs_only: bool = False


@dataclass(frozen=True)
class ReviewItem:
    """A review as shown: signed by pseudonym; `reviewer_name` only on chair pages."""

    pseudonym: str
    is_own: bool
    is_submitted: bool
    submitted_at: datetime | None
    score: str
    confidence: str
    answers: tuple[Answer, ...]
    reviewer_name: str = ""
    reviewer_email: str = ""
    is_conflicted: bool = False


@dataclass(frozen=True)
class PostItem:
    signed: str  # "Reviewer 2", "Chair"
    body: str
    created_at: datetime
    is_own: bool
    author_name: str = ""  # chair pages only


def _shown(question: ReviewQuestion, value, awards: dict[int, str]) -> str:
    if value in (None, "", []):
        return ""
    if question.kind == Kind.NOMINATIONS:
        return ", ".join(awards.get(pk, "?") for pk in value)
    if question.choices:
        label = question.choice_labels.get(value)
        if label is None:  # JSON keeps ints; choices may have been edited since
            label = {str(v): lab for v, lab in question.choices}.get(str(value), "")
        if question.kind == Kind.SCORE:
            return f"{value:+d} {label}" if isinstance(value, int) else label
        return label or str(value)
    return str(value)


def review_item(
    review: Review,
    assignment: Assignment,
    *,
    questions: list[ReviewQuestion],
    awards: dict[int, str],
    is_own: bool,
    for_chair: bool = False,
    is_conflicted: bool = False,
) -> ReviewItem:
    answers = []
    score = confidence = ""
    for question in questions:
        value = review.answers.get(question.key)
        text = _shown(question, value, awards)
        if question.kind == Kind.SCORE:
            score = text
            continue
        if question.kind == Kind.CONFIDENCE:
            confidence = text
            continue
        chairs_only = question.visibility == Visibility.CHAIRS
        if chairs_only and not (for_chair or is_own):
            continue
        if text:
            answers.append(Answer(question.label, text, chairs_only))
    reviewer = assignment.reviewer if for_chair else None
    return ReviewItem(
        pseudonym=assignment.pseudonym,
        is_own=is_own,
        is_submitted=review.is_submitted,
        submitted_at=review.submitted_at,
        score=score,
        confidence=confidence,
        answers=tuple(answers),
        reviewer_name=reviewer.display_name if reviewer else "",
        reviewer_email=reviewer.email if reviewer else "",
        is_conflicted=is_conflicted,
    )


def discussion(
    submission: Submission, *, viewer, for_chair: bool = False
) -> list[PostItem]:
    """The posts, signed by pseudonym, "Area chair" (the submission's, or a former
    one: only its area chair posts as one) or "Chair" (a poster no longer assigned
    and neither: "A former reviewer"). Four queries, whatever the number."""
    posts = list(
        DiscussionPost.objects.filter(submission=submission)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    pseudonyms = {a.reviewer_id: a.pseudonym for a in submission.assignments.all()}
    others = {p.author_id for p in posts} - set(pseudonyms)
    roles = (
        set(
            User.objects.filter(
                pk__in=others, groups__name__in=[CHAIRS, AREA_CHAIRS]
            ).values_list("pk", "groups__name")
        )
        if others
        else set()
    )
    area_chair_id = reviewing_rules.area_chair_id_of(submission) if others else None

    def signed(author_id: int) -> str:
        if author_id in pseudonyms:
            return pseudonyms[author_id]
        if author_id == area_chair_id:
            return "Area chair"
        if (author_id, CHAIRS) in roles:
            return "Chair"
        if (author_id, AREA_CHAIRS) in roles:
            return "Area chair"
        return "A former reviewer"

    return [
        PostItem(
            signed=signed(p.author_id),
            body=p.body,
            created_at=p.created_at,
            is_own=p.author_id == viewer.pk,
            author_name=p.author.display_name if for_chair else "",
        )
        for p in posts
    ]


def load_submission(request, number: int) -> Submission:
    """The submission with what the predicates and pages read, prefetched."""
    submission = get_object_or_404(
        Submission.objects.select_related("current_version").prefetch_related(
            "topics",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("review", "reviewer")
                .prefetch_related("review__nominations")
                .order_by("pseudonym_index"),
            ),
        ),
        number=number,
        conference=current_conference(request),
    )
    submission.conference = current_conference(request)
    return submission


class BlindContextMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The view holds the Submission: a template must not reach it.
        context.pop("view", None)
        return context


class ReviewerSubmissionMixin(NotFoundOnDeny):
    permission_required = "reviews.write_review"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    @property
    def own_assignment(self) -> Assignment:
        return reviewing_rules.own_assignment(self.request.user, self._submission)


# --- the reviewer's page --------------------------------------------------------------
class AssignmentView(BlindContextMixin, ReviewerSubmissionMixin, TemplateView):
    """GET: the page. POST (as reviews:review): save a draft or submit."""

    template_name = "reviews/reviewing/assignment_detail.html"

    def review_form(self) -> tuple[ReviewForm, list[ReviewQuestion]]:
        form = ReviewForm.objects.for_conference(current_conference(self.request))
        return form, active_questions(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        submission = self._submission
        conference = current_conference(self.request)
        assignment = self.own_assignment
        own_review = getattr(assignment, "review", None)
        review_form, questions = self.review_form()
        awards = list(conference.award_categories.all())
        award_names = {a.pk: a.name for a in awards}
        if "form" not in kwargs:
            kwargs["form"] = ReviewAnswersForm(
                questions=questions,
                awards=awards,
                initial=ReviewAnswersForm.initial_from(
                    questions, own_review.answers if own_review else {}
                ),
            )
        closes_at = review_closes_at(assignment, conference=conference)
        # After the authors' response, a submitted review may be updated longer.
        update_until = reviewer_update_until(assignment, conference=conference)
        is_open = closes_at is None or clock.now() < (update_until or closes_at)
        can_see_others = user.has_perm("reviews.see_other_reviews", submission)
        others = []
        if can_see_others:
            others_assignments = [
                a
                for a in submission.assignments.all()
                if a.pk != assignment.pk
                and getattr(a, "review", None) is not None
                and a.review.is_submitted
            ]
            index = ConflictIndex.build(
                users=[a.reviewer for a in others_assignments],
                submissions=[submission],
            )
            others = [
                review_item(
                    a.review, a, questions=questions, awards=award_names, is_own=False
                )
                for a in others_assignments
                if not index.is_conflicted(a.reviewer_id, submission.pk)
            ]
        can_read_discussion = user.has_perm("reviews.read_discussion", submission)
        review_settings = reviewing_rules.review_settings(submission)
        context.update(
            # The chairs' custom fields shown to reviewers (submissions.fields).
            field_answers=reviewer_answers(submission.pk, conference),
            blind_submission=blind(submission),
            neighbours=reviewer_neighbours(user, submission),
            pseudonym=assignment.pseudonym,
            review_state=own_review.get_state_display() if own_review else "",
            is_submitted=bool(own_review and own_review.is_submitted),
            own=review_item(
                own_review,
                assignment,
                questions=questions,
                awards=award_names,
                is_own=True,
            )
            if own_review
            else None,
            instructions=review_form.instructions,
            closes_at=closes_at,
            deadline_text=describe_deadline(closes_at, conference) if closes_at else "",
            update_text=describe_deadline(update_until, conference)
            if update_until
            else "",
            is_open=is_open,
            can_see_others=can_see_others,
            others=others,
            policy=review_settings.reviewers_see_other_reviews,
            policy_label=ReviewSettings.OtherReviews(
                review_settings.reviewers_see_other_reviews
            ).label,
            can_read_discussion=can_read_discussion,
            posts=discussion(submission, viewer=user) if can_read_discussion else [],
            can_post=user.has_perm("reviews.post_discussion", submission),
            post_form=PostForm.for_page(self.request, submission),
            **kwargs,
        )
        return context

    def post(self, request, number):
        _, questions = self.review_form()
        awards = list(current_conference(request).award_categories.all())
        form = ReviewAnswersForm(request.POST, questions=questions, awards=awards)
        page = reverse("reviews:submission", args=[number])
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submit = request.POST.get("action") == "submit"
        try:
            review = save_review(
                self.own_assignment, form.answers(), by=request.user, submit=submit
            )
        except ReviewDeadlinePassed as error:
            messages.error(request, " ".join(error.messages))
            return redirect(page)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_service_errors(error)
            messages.error(request, "Your review was not saved: see the errors below.")
            return self.render_to_response(self.get_context_data(form=form))
        if review.is_submitted and submit:
            messages.success(request, "Review submitted. Thank you!")
        elif review.is_submitted:
            messages.success(request, "Review updated.")
        else:
            messages.success(request, "Draft saved. Submit it when you are ready.")
        return redirect(f"{page}#{'reviews' if review.is_submitted else 'review'}")


# --- the discussion ------------------------------------------------------------------
class DiscussionPostView(NotFoundOnDeny, View):
    """POST a message; back to the page it came from (reviewer or chair)."""

    permission_required = "reviews.read_discussion"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    def post(self, request, number):
        submission = self._submission
        user = request.user
        if user.has_perm("reviews.write_review", submission):
            back = reverse("reviews:submission", args=[number])
        elif user.has_perm("reviews.chair_view_submission", submission):
            back = reverse("reviews:chair-submission", args=[number])
        else:  # read_discussion: the submission's area chair
            back = reverse("reviews:area-chair-submission", args=[number])
        form = PostForm(request.POST)
        if not form.is_valid():
            body = form["body"].value() or ""
            PostForm.keep_refused(request, submission, body)
            messages.error(
                request,
                f"A post has at most 10,000 characters; yours has {len(body):,}. "
                "It is in the form below."
                if body.strip()
                else "Write something first.",
            )
            return redirect(f"{back}#discussion")
        try:
            post_to_discussion(submission, form.cleaned_data["body"], by=user)
        except PermissionDenied:
            PostForm.keep_refused(request, submission, form.cleaned_data["body"])
            messages.error(request, "The chairs have not opened the discussion yet.")
        except ValidationError as error:
            PostForm.keep_refused(request, submission, form.cleaned_data["body"])
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Posted.")
        return redirect(f"{back}#discussion")

"""Writes of the reviewing side: reviews, the discussion, the review form.

Mails to reviewers go through the outbox (`queue_mail`) in the caller's transaction,
are non-essential (each reviewer may turn them off), and name the submission by its
number and title and the people by pseudonym ("Reviewer 2", "Chair"): never an
author, never another reviewer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from haet import clock
from haet.models import User
from haet.outbox.preferences import DISCUSSION_POSTED, REVIEW_POSTED
from haet.rules import is_chair
from reviews.conflicts import ConflictIndex, is_conflicted
from reviews.discussion_mails import notify_area_chair, queue_posted_mail
from reviews.models import (
    Assignment,
    DiscussionPost,
    Review,
    ReviewForm,
    ReviewNomination,
    ReviewQuestion,
)
from reviews.responses import note_review_change
from reviews.review_deadline import (  # noqa: F401 - re-exported, its old home
    ReviewDeadlinePassed,
    ensure_review_open,
    ensure_reviewer_may_change,
    review_closes_at,
    reviewer_update_until,
)
from reviews.rules import area_chair_id_of, others_visible, review_settings
from submissions.models import Submission

Kind = ReviewQuestion.Kind
MAX_POST_LENGTH = 10_000


# --- answers -----------------------------------------------------------------------
def active_questions(form: ReviewForm) -> list[ReviewQuestion]:
    return [q for q in form.questions.all() if q.is_active]


def is_blank(value: object) -> bool:
    return value is None or value == "" or value == []


def clean_answers(
    questions: Iterable[ReviewQuestion],
    answers: dict,
    *,
    award_ids: set[int],
    complete: bool,
) -> dict:
    """The answers to the active questions, checked against each question's kind
    and choices; with `complete`, every required question must be answered.
    Raises ValidationError({question key: message})."""
    cleaned: dict[str, object] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value: Any = answers.get(question.key)  # as posted: any JSON value
        if isinstance(value, str):
            value = value.strip()
        if is_blank(value):
            if complete and question.is_required:
                errors[question.key] = f"“{question.label}” is required."
            cleaned[question.key] = [] if question.kind == Kind.NOMINATIONS else None
            continue
        if question.kind in (Kind.SCORE, Kind.CONFIDENCE, Kind.CHOICE):
            allowed = {str(v): v for v, _ in question.choices}
            if str(value) not in allowed:
                errors[question.key] = f"Choose an answer to “{question.label}”."
                continue
            cleaned[question.key] = allowed[str(value)]
        elif question.kind == Kind.NOMINATIONS:
            try:
                ids = sorted({int(v) for v in value})
            except (TypeError, ValueError):
                ids = None
            if ids is None or not set(ids) <= award_ids:
                errors[question.key] = "Nominate only for the workshop's awards."
                continue
            cleaned[question.key] = ids
        else:
            cleaned[question.key] = str(value)
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- reviews -------------------------------------------------------------------------
def apply_answers(review: Review, questions: list, cleaned: dict) -> list[int]:
    """Put cleaned answers on `review` (not saved) with its score and confidence
    copies; returns the award ids it nominates. Answers to questions the chairs
    retired since are kept, not shown. Shared by the reviewer's and the delegate's
    saves (reviews.delegation)."""
    review.answers = {**review.answers, **cleaned}
    review.score = review.confidence = None
    nominated: list[int] = []
    for question in questions:
        value = cleaned.get(question.key)
        if question.kind == Kind.SCORE:
            review.score = value
        elif question.kind == Kind.CONFIDENCE:
            review.confidence = value
        elif question.kind == Kind.NOMINATIONS:
            nominated += value or []
    return nominated


def set_nominations(review: Review, award_ids: list[int]) -> None:
    """The review's ReviewNomination rows become exactly `award_ids`."""
    ReviewNomination.objects.filter(review=review).exclude(
        award_id__in=award_ids
    ).delete()
    for award_id in sorted(set(award_ids)):
        ReviewNomination.objects.get_or_create(review=review, award_id=award_id)


@transaction.atomic
def save_review(
    assignment: Assignment,
    answers: dict,
    *,
    by: User,
    submit: bool = False,
    at: datetime | None = None,
) -> Review:
    """Save the reviewer's answers as a draft, or submit them (`submit`). A submitted
    review stays submitted: later saves must be complete.

    Refuses (PermissionDenied) anyone but the assigned reviewer, a reviewer now
    conflicted with the submission, a withdrawn submission; refuses
    (ReviewDeadlinePassed) after the review deadline, except an update of a
    submitted review after the authors' response until the window's date for it
    (reviews.review_deadline); a missing required answer
    when submitting is a ValidationError. Nothing is written when it refuses.
    Side effects: the Review row (answers, score and confidence copies, state);
    ReviewNomination rows follow the nominations answer; when the review is first
    submitted, a "review_posted" mail to each other assigned reviewer who may read
    it (after commit).
    """
    at = at or clock.now()
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("submission__conference", "reviewer")
        .get(pk=assignment.pk)
    )
    submission = assignment.submission
    conference = submission.conference
    if by.pk != assignment.reviewer_id or not by.is_active:
        raise PermissionDenied("Only the assigned reviewer writes this review.")
    if submission.is_withdrawn or is_conflicted(by, submission):
        raise PermissionDenied("This review cannot proceed.")
    ensure_reviewer_may_change(assignment, conference=conference, at=at)
    form = ReviewForm.objects.for_conference(conference)
    questions = active_questions(form)
    review = Review.objects.filter(assignment=assignment).first()
    was_submitted = review is not None and review.is_submitted
    score_before = review.score if review is not None else None
    award_ids = set(conference.award_categories.values_list("pk", flat=True))
    cleaned = clean_answers(
        questions, answers, award_ids=award_ids, complete=submit or was_submitted
    )
    review = review or Review(assignment=assignment)
    nominated = apply_answers(review, questions, cleaned)
    becomes_submitted = (submit or was_submitted) and not was_submitted
    if becomes_submitted:
        review.state = Review.State.SUBMITTED
        review.submitted_at = at
    review.save()
    if was_submitted:  # changed after the authors' response: chairs see it
        note_review_change(review, score_before=score_before, at=at)
    set_nominations(review, nominated)
    if becomes_submitted:
        notify_reviewers(
            submission,
            about=REVIEW_POSTED,
            item_id=review.pk,
            by_label=assignment.pseudonym,
            exclude_user_id=by.pk,
        )
    return review


# --- the discussion -------------------------------------------------------------------
def poster_label(user: User, submission: Submission) -> str:
    """How a poster appears: their pseudonym if assigned, "Area chair" for the
    submission's area chair, else "Chair"."""
    assignment = next(
        (a for a in submission.assignments.all() if a.reviewer_id == user.pk), None
    )
    if assignment:
        return assignment.pseudonym
    return "Area chair" if area_chair_id_of(submission) == user.pk else "Chair"


@transaction.atomic
def post_to_discussion(
    submission: Submission, body: str, *, by: User
) -> DiscussionPost:
    """A reviewer (under their pseudonym), a chair ("Chair") or the submission's
    area chair ("Area chair") writes in the discussion of a submission. Refuses
    (PermissionDenied) whoever may not post: see reviews.rules. An empty body is
    a ValidationError.
    Side effects: the post; a "discussion_posted" mail to each other assigned
    reviewer who may read the discussion, and to the submission's area chair
    (`notify_area_chair`), after commit."""
    body = body.strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > MAX_POST_LENGTH:
        raise ValidationError(f"A post has at most {MAX_POST_LENGTH} characters.")
    if not by.has_perm("reviews.post_discussion", submission):
        raise PermissionDenied("You cannot post in this discussion.")
    post = DiscussionPost.objects.create(
        submission=submission, author=by, body=body, created_at=clock.now()
    )
    label = poster_label(by, submission)
    notify_reviewers(
        submission,
        about=DISCUSSION_POSTED,
        item_id=post.pk,
        by_label=label,
        exclude_user_id=by.pk,
    )
    notify_area_chair(submission, post=post, by_label=label)
    return post


# --- notifications --------------------------------------------------------------------
def notify_reviewers(
    submission: Submission,
    *,
    about: str,
    item_id: int,
    by_label: str,
    exclude_user_id: int,
) -> int:
    """Queue one mail per other assigned reviewer who may read the new item now
    (live assignment, not conflicted, the policy lets them see other reviews).
    Returns how many were queued."""
    assignments = list(
        Assignment.objects.filter(submission=submission)
        .exclude(reviewer_id=exclude_user_id)
        .select_related("reviewer", "review")
    )
    if not assignments or submission.is_withdrawn:
        return 0
    index = ConflictIndex.build(
        users=[a.reviewer for a in assignments], submissions=[submission]
    )
    policy = review_settings(submission).reviewers_see_other_reviews
    url = reverse("reviews:submission", args=[submission.number])
    queued = 0
    for assignment in assignments:
        review = getattr(assignment, "review", None)
        if (
            not assignment.reviewer.is_active
            or index.is_conflicted(assignment.reviewer_id, submission.pk)
            or not others_visible(
                policy, has_submitted=review is not None and review.is_submitted
            )
        ):
            continue
        mail = queue_posted_mail(
            assignment.reviewer,
            submission,
            about=about,
            greeting=assignment.pseudonym,
            by_label=by_label,
            url=f"{url}#{'reviews' if about == REVIEW_POSTED else 'discussion'}",
            dedupe_key=f"{about}:{item_id}:{assignment.pk}",
        )
        queued += mail is not None
    return queued


# --- the review form ------------------------------------------------------------------
@dataclass
class QuestionData:
    """One row of the chairs' form editor; `question` None for a new one."""

    question: ReviewQuestion | None
    label: str
    help_text: str
    kind: str
    choices: list
    is_required: bool
    visibility: str
    order: int
    is_active: bool


def _new_key(label: str, taken: set[str]) -> str:
    base = slugify(label)[:30].strip("-") or "question"
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    return key


@transaction.atomic
def update_review_form(
    form: ReviewForm, *, instructions: str, rows: Iterable[QuestionData], by: User
) -> ReviewForm:
    """Chairs edit the review form: the instructions, each question's label, help,
    choices, required, visibility, order and whether it is asked; add questions.
    A question's kind is fixed once it exists (its answers were given in that kind);
    a question is retired (not asked) rather than deleted, so answers stay.
    Raises PermissionDenied for non-chairs, ValidationError for an invalid row.
    Side effects: ReviewForm and ReviewQuestion rows."""
    if not is_chair(by):
        raise PermissionDenied("Only chairs edit the review form.")
    form.instructions = instructions.strip()
    form.save()
    existing = {q.pk: q for q in form.questions.all()}
    taken = {q.key for q in existing.values()}
    kinds = {q.kind for q in existing.values()}
    for row in rows:
        question = row.question
        if row.kind in (Kind.SCORE, Kind.CONFIDENCE, Kind.CHOICE) and not row.choices:
            raise ValidationError(f"“{row.label}” needs its choices.")
        if row.kind in (Kind.SCORE, Kind.CONFIDENCE) and not all(
            isinstance(value, int) for value, _ in row.choices
        ):
            raise ValidationError(f"“{row.label}”: the values must be whole numbers.")
        if question is None:
            if row.kind in (Kind.SCORE, Kind.CONFIDENCE) and row.kind in kinds:
                raise ValidationError(
                    f"The form already has a question of the kind "
                    f"“{Kind(row.kind).label}”."
                )
            kinds.add(row.kind)
            question = ReviewQuestion(
                form=form, key=_new_key(row.label, taken), kind=row.kind
            )
            taken.add(question.key)
        elif question.pk not in existing:
            raise ValidationError("That question belongs to another form.")
        elif row.kind != question.kind:
            raise ValidationError(
                f"“{question.label}”: the kind of an existing question cannot change."
            )
        question.label = row.label.strip()
        question.help_text = row.help_text.strip()
        question.choices = row.choices
        question.is_required = row.is_required
        question.visibility = row.visibility
        question.order = row.order
        question.is_active = row.is_active
        question.full_clean(exclude=["form"], validate_constraints=False)
        question.save()
    return form

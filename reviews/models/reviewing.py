"""Reviewing: the review form chairs edit, reviews, nominations and the discussion."""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from haet import clock
from haet.models import AwardCategory, BaseModel, Conference, User
from reviews.models.assignment import Assignment
from submissions.models import Submission

# --- the review form ---------------------------------------------------------------
OVERALL_SCORE_CHOICES = [
    [3, "Strong accept"],
    [2, "Accept"],
    [1, "Weak accept"],
    [0, "Borderline"],
    [-1, "Weak reject"],
    [-2, "Reject"],
    [-3, "Strong reject"],
]
CONFIDENCE_CHOICES = [
    [5, "5: Absolutely certain; I know the area very well"],
    [4, "4: Confident, but not absolutely certain"],
    [3, "3: Fairly confident"],
    [2, "2: Willing to defend, but likely missed something"],
    [1, "1: An educated guess"],
]


class ReviewFormQuerySet(models.QuerySet["ReviewForm"]):
    def for_conference(self, conference: Conference) -> "ReviewForm":
        """The conference's form, created with the default questions if missing."""
        form: ReviewForm | None = self.filter(conference=conference).first()
        if form is None:
            form = self.create(conference=conference)
            for order, question in enumerate(DEFAULT_QUESTIONS):
                ReviewQuestion.objects.create(form=form, order=order, **question)
        return form


class ReviewForm(BaseModel):
    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="review_form"
    )
    instructions = models.TextField(
        blank=True, help_text="Shown to reviewers above the form."
    )

    objects = ReviewFormQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Review form of {self.conference}"


class ReviewQuestion(models.Model):
    """One question of the review form. `key` names the answer in Review.answers."""

    class Kind(models.TextChoices):
        SCORE = "score", "Overall score (one per form; Review.score)"
        CONFIDENCE = "confidence", "Confidence (one per form; Review.confidence)"
        CHOICE = "choice", "One of the choices"
        TEXT = "text", "Text"
        NOMINATIONS = "nominations", "Award nominations (the conference's awards)"

    class Visibility(models.TextChoices):
        AUTHORS = "authors", "Authors, reviewers and chairs"
        REVIEWERS = "reviewers", "Reviewers and chairs"
        CHAIRS = "chairs", "Chairs only"

    form = models.ForeignKey(
        ReviewForm, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # [[value, label], ...] for SCORE, CONFIDENCE and CHOICE; values are integers for
    # SCORE and CONFIDENCE.
    choices = models.JSONField(default=list, blank=True)
    is_required = models.BooleanField(default=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.AUTHORS
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="unique_question_key"),
            models.UniqueConstraint(
                fields=["form", "kind"],
                condition=Q(kind__in=["score", "confidence"]),
                name="one_score_and_confidence_question",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_labels(self) -> dict:
        return {value: label for value, label in self.choices}


DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "score",
        "label": "Overall score",
        "kind": ReviewQuestion.Kind.SCORE,
        "choices": OVERALL_SCORE_CHOICES,
    },
    {
        "key": "confidence",
        "label": "Confidence",
        "kind": ReviewQuestion.Kind.CONFIDENCE,
        "choices": CONFIDENCE_CHOICES,
    },
    {
        "key": "summary",
        "label": "Summary of the submission",
        "kind": ReviewQuestion.Kind.TEXT,
    },
    {"key": "strengths", "label": "Strengths", "kind": ReviewQuestion.Kind.TEXT},
    {"key": "weaknesses", "label": "Weaknesses", "kind": ReviewQuestion.Kind.TEXT},
    {
        "key": "comments",
        "label": "Comments to the authors",
        "kind": ReviewQuestion.Kind.TEXT,
        "is_required": False,
    },
    {
        "key": "confidential",
        "label": "Confidential comments to the chairs",
        "kind": ReviewQuestion.Kind.TEXT,
        "is_required": False,
        "visibility": ReviewQuestion.Visibility.CHAIRS,
    },
    {
        "key": "nominations",
        "label": "Award nominations",
        "help_text": "Nominate this submission for any of the workshop's awards.",
        "kind": ReviewQuestion.Kind.NOMINATIONS,
        "is_required": False,
        "visibility": ReviewQuestion.Visibility.CHAIRS,
    },
]


# --- reviews -----------------------------------------------------------------------
class ReviewQuerySet(models.QuerySet):
    def submitted(self) -> Self:
        return self.filter(state=Review.State.SUBMITTED)

    def for_submission(self, submission: Submission) -> Self:
        return self.filter(assignment__submission=submission).order_by(
            "assignment__pseudonym_index"
        )

    def by_reviewer(self, user: User) -> Self:
        return self.filter(assignment__reviewer=user)


class Review(BaseModel):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="review"
    )
    answers = models.JSONField(default=dict, blank=True)
    # Copies of the SCORE and CONFIDENCE answers, for statistics in one query.
    score = models.SmallIntegerField(null=True, blank=True)
    confidence = models.SmallIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["assignment"]

    def __str__(self) -> str:
        return f"Review of {self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class ReviewNominationQuerySet(models.QuerySet["ReviewNomination"]):
    def submitted(self) -> Self:
        return self.filter(review__state=Review.State.SUBMITTED)

    def for_award(self, award: AwardCategory) -> Self:
        return self.filter(award=award)

    def per_award(self) -> "models.QuerySet[ReviewNomination, dict[str, Any]]":
        """Rows of (award_id, submission_id, nomination_count) over submitted
        reviews, most nominated first: what the awards app reads."""
        return (
            self.submitted()
            .values("award_id", "review__assignment__submission_id")
            .annotate(nomination_count=Count("pk"))
            .order_by("award_id", "-nomination_count")
        )


class ReviewNomination(models.Model):
    """A reviewer nominates the submission they review for an award."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="nominations"
    )
    award = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="review_nominations"
    )

    objects = ReviewNominationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "award"], name="unique_review_nomination"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} nominates for {self.award}"


class DiscussionPost(BaseModel):
    """A message in the discussion of a submission; shown under the author's
    pseudonym ("Reviewer 2") or "Chair"."""

    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="discussion_posts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    # Shown as the post's time: the conference clock (HAET_NOW in a demo), not
    # BaseModel's wall-clock bookkeeping.
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["submission", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Post on #{self.submission_id} by {self.author_id}"

"""Reviewing: the reviewer pool, conflicts, bids, affinity, assignments and reviews.

- `ReviewSettings`: the review policy as data, one row per conference.
- `Invitation` → a person joins the pool; `ReviewerProfile` says what they know.
- `Conflict`: *stored* conflict facts only (reviewer- or chair-declared, and waivers of
  any kind). Detected conflicts (author-declared, same domain, is an author, co-author)
  are computed on the fly by `reviews.conflicts`, the ONE place that answers "is this
  user conflicted with this submission"; `ConflictLog` keeps what chairs did.
- `Bid`, `AffinityScore` feed the solver; `AssignmentRun` is a proposal chairs
  inspect before deploying it into `Assignment` rows.
- `ReviewForm`/`ReviewQuestion` are data chairs edit; a `Review` stores its answers
  keyed by question, with `score`/`confidence` denormalized for fast statistics.
- `DiscussionPost`: the reviewers' and chairs' discussion of a submission.

State changes go through `reviews.services`; reads are QuerySet methods here.
"""

import secrets
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from haet import clock
from haet.models import AwardCategory, BaseModel, Conference, Topic

# Webmail providers, and the documentation domains of RFC 2606 (test and demo
# accounts share them without sharing an institution).
PUBLIC_MAIL_DOMAINS = """\
gmail.com
googlemail.com
outlook.com
hotmail.com
live.com
msn.com
yahoo.com
ymail.com
aol.com
icloud.com
me.com
mac.com
proton.me
protonmail.com
pm.me
gmx.de
gmx.net
web.de
mail.ru
yandex.ru
yandex.com
qq.com
163.com
126.com
sina.com
foxmail.com
naver.com
zoho.com
fastmail.com
mail.com
example.com
example.org
example.net
"""


def new_token() -> str:
    return secrets.token_urlsafe(24)


def parse_domains(text: str) -> set[str]:
    """Domains from a text list (one a line, or separated by commas/spaces); an
    address "x@uni.edu" counts as its domain, "@uni.edu" as "uni.edu"."""
    found = set()
    for item in text.replace(",", " ").split():
        item = item.strip().lower().rpartition("@")[2].strip(".")
        if item and "." in item:
            found.add(item)
    return found


# --- settings ----------------------------------------------------------------------
class ReviewSettingsQuerySet(models.QuerySet):
    def for_conference(self, conference: Conference) -> "ReviewSettings":
        found, _ = self.get_or_create(conference=conference)
        return found


class ReviewSettings(BaseModel):
    """The review policy of a conference, as data chairs edit (pretalx ReviewPhase)."""

    class OtherReviews(models.TextChoices):
        NEVER = "never", "Never"
        AFTER_OWN = "after_own", "After submitting their own review"
        ALWAYS = "always", "Always"

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="review_settings"
    )
    reviewers_per_submission = models.PositiveSmallIntegerField(
        default=3, help_text="k: how many reviewers each submission gets."
    )
    default_max_load = models.PositiveSmallIntegerField(
        default=6,
        help_text="Most submissions per reviewer, unless their profile says fewer.",
    )
    weight_bid = models.FloatField(
        default=1.0, help_text="Weight of the reviewer's bid in the affinity."
    )
    weight_topic = models.FloatField(
        default=0.5, help_text="Weight of the topic overlap (0 to 1)."
    )
    weight_text = models.FloatField(
        default=1.0,
        help_text="Weight of the text similarity of the submission and the "
        "reviewer's own papers (0 to 1).",
    )
    reviewers_see_other_reviews = models.CharField(
        max_length=12, choices=OtherReviews.choices, default=OtherReviews.AFTER_OWN
    )
    reviewers_see_reviewer_names = models.BooleanField(
        default=False,
        help_text="Off: reviewers see each other as “Reviewer 1, 2, 3”.",
    )
    authors_see_reviews = models.BooleanField(
        default=False, help_text="Authors can read the reviews of their submission."
    )
    is_discussion_open = models.BooleanField(
        default=False, help_text="Assigned reviewers can post in the discussion."
    )
    public_mail_domains = models.TextField(
        default=PUBLIC_MAIL_DOMAINS,
        help_text="Webmail domains, one a line: sharing one is not a conflict.",
    )

    objects = ReviewSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return f"Review settings of {self.conference}"

    @property
    def public_domains(self) -> set[str]:
        return parse_domains(self.public_mail_domains)


# --- the reviewer pool -------------------------------------------------------------
class InvitationQuerySet(models.QuerySet):
    def pending(self) -> Self:
        return self.filter(status=Invitation.Status.INVITED)


class Invitation(BaseModel):
    """A chair asks someone by email to review; the token link answers it."""

    class Status(models.TextChoices):
        INVITED = "invited", "Not answered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer_invitations",
        help_text="The account that answered.",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class ReviewerProfile(BaseModel):
    """What a reviewer knows and how much they can take."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    topics = models.ManyToManyField(
        Topic, related_name="reviewer_profiles", blank=True, verbose_name="expertise"
    )
    keywords = models.CharField(
        max_length=500, blank=True, help_text="Free keywords, separated by commas."
    )
    own_papers = models.TextField(
        blank=True,
        help_text="Titles and abstracts of a few of your own papers: the text we "
        "match submissions against.",
    )
    institution_domains = models.TextField(
        blank=True,
        help_text="Email domains of your current and recent institutions, one a "
        "line (e.g. mit.edu). Submissions from them are conflicts.",
    )
    max_papers = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Most submissions you can review. Blank: the conference default.",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    bidding_done_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reviewer said they finished bidding."
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def domains(self) -> set[str]:
        return parse_domains(self.institution_domains)

    @property
    def text(self) -> str:
        """The text affinity reads: keywords and own papers."""
        return f"{self.keywords}\n{self.own_papers}"


# --- conflicts ---------------------------------------------------------------------
class ConflictSource(models.TextChoices):
    AUTHOR_DECLARED = "author_declared", "Declared by the authors"
    REVIEWER_DECLARED = "reviewer_declared", "Declared by the reviewer"
    DOMAIN = "domain", "Same institution domain"
    IS_AUTHOR = "is_author", "Author of the submission"
    COAUTHOR = "coauthor", "Co-author of an author"
    CHAIR_ADDED = "chair_added", "Added by a chair"


# What `reviews.conflicts` detects from submissions and profiles; never stored
# except as a waiver.
DETECTED_SOURCES = frozenset(
    {
        ConflictSource.AUTHOR_DECLARED,
        ConflictSource.DOMAIN,
        ConflictSource.IS_AUTHOR,
        ConflictSource.COAUTHOR,
    }
)
# Being an author of the submission is a fact no chair can waive.
UNWAIVABLE_SOURCES = frozenset({ConflictSource.IS_AUTHOR})


class ConflictQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_waived=False)

    def waived(self) -> Self:
        return self.filter(is_waived=True)


class Conflict(models.Model):
    """A stored conflict fact for one (submission, user, source).

    Declared conflicts (reviewer or chair) are rows with is_waived=False. A waiver of
    any conflict, detected or declared, is a row with is_waived=True: the pair stays
    conflicted if another source still applies.
    """

    Source = ConflictSource

    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="reviewer_conflicts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    source = models.CharField(max_length=20, choices=ConflictSource.choices)
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    is_waived = models.BooleanField(default=False)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    waive_reason = models.CharField(max_length=500, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "user", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "user", "source"], name="unique_conflict_source"
            )
        ]

    def __str__(self) -> str:
        waived = " (waived)" if self.is_waived else ""
        return f"#{self.submission_id} x {self.user_id}: {self.source}{waived}"


class ConflictLog(models.Model):
    """What chairs and reviewers did to conflicts, oldest first."""

    class Action(models.TextChoices):
        DECLARED = "declared", "Declared"
        ADDED = "added", "Added"
        REMOVED = "removed", "Removed"
        WAIVED = "waived", "Waived"
        UNWAIVED = "unwaived", "Waiver withdrawn"

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=20, choices=ConflictSource.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} #{self.submission_id} x {self.user_id}"


# --- bids and affinity ---------------------------------------------------------------
class Bid(models.Model):
    class Value(models.TextChoices):
        EAGER = "eager", "Eager"
        WILLING = "willing", "Willing"
        NEUTRAL = "neutral", "Neutral"
        NOT_WILLING = "not_willing", "Not willing"
        CONFLICT = "conflict", "Conflict"

    # The bid's contribution to affinity, before the chairs' weight.
    SCORES = {
        Value.EAGER: 1.0,
        Value.WILLING: 0.5,
        Value.NEUTRAL: 0.0,
        Value.NOT_WILLING: -1.0,
        Value.CONFLICT: 0.0,
    }

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bids"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="bids"
    )
    value = models.CharField(max_length=12, choices=Value.choices)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "submission"], name="unique_bid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} on #{self.submission_id}: {self.value}"

    @property
    def score(self) -> float:
        return self.SCORES[self.Value(self.value)]


class AffinityScore(models.Model):
    class Source(models.TextChoices):
        COMPUTED = "computed", "Computed here"
        UPLOADED = "uploaded", "Uploaded by a chair"

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "submission", "source"], name="unique_affinity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} x #{self.submission_id} = {self.score:.3f}"


# --- assignments ---------------------------------------------------------------------
class AssignmentQuerySet(models.QuerySet):
    def for_reviewer(self, user) -> Self:
        """The user's assignments on live submissions, with submission and review."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(reviewer=user)
            .exclude(submission__state="withdrawn")
            .select_related("submission", "review")
            .order_by("submission__number")
        )

    def for_submission(self, submission) -> Self:
        return self.filter(submission=submission).order_by("pseudonym_index")

    def with_started_review(self) -> Self:
        return self.filter(review__isnull=False)


class Assignment(models.Model):
    """A reviewer reviews a submission; "Reviewer <pseudonym_index>" to others."""

    class Source(models.TextChoices):
        MANUAL = "manual", "By hand"
        AUTOMATIC = "automatic", "Automatic assignment"

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    # 1, 2, 3... never reused on the submission: a reviewer stays "Reviewer 2" even
    # if reviewer 1 is removed. A deployed proposal numbers its reviewers in a random
    # order (services.deploy_run), so the number reveals neither the account nor the
    # order of the proposal; one assigned by hand gets the next number.
    pseudonym_index = models.PositiveSmallIntegerField()
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    run = models.ForeignKey(
        "AssignmentRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="Blank: the conference's review deadline."
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "pseudonym_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="unique_assignment"
            ),
            models.UniqueConstraint(
                fields=["submission", "pseudonym_index"], name="unique_pseudonym"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} Reviewer {self.pseudonym_index}"

    @property
    def pseudonym(self) -> str:
        return f"Reviewer {self.pseudonym_index}"


class AssignmentRun(BaseModel):
    """A proposed automatic assignment: computed, inspected, then deployed.

    `result` holds {"pairs": [[submission_id, reviewer_id, score], ...] (new pairs
    only), "kept": [...existing pairs...], "unfilled": {submission_id: reason},
    "total_score": float, "min_paper_score": float, "seconds": float}.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Proposed"
        FAILED = "failed", "Failed"
        DEPLOYED = "deployed", "Deployed"
        DISCARDED = "discarded", "Discarded"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    params = models.JSONField(default=dict)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    progress_message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deployed_at = models.DateTimeField(null=True, blank=True)
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Shown to chairs as when the run was started: the conference clock (HAET_NOW
    # in a demo), not BaseModel's wall-clock bookkeeping.
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Assignment run {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)


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


class ReviewFormQuerySet(models.QuerySet):
    def for_conference(self, conference: Conference) -> "ReviewForm":
        """The conference's form, created with the default questions if missing."""
        form = self.filter(conference=conference).first()
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


DEFAULT_QUESTIONS = [
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

    def for_submission(self, submission) -> Self:
        return self.filter(assignment__submission=submission).order_by(
            "assignment__pseudonym_index"
        )

    def by_reviewer(self, user) -> Self:
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


class ReviewNominationQuerySet(models.QuerySet):
    def submitted(self) -> Self:
        return self.filter(review__state=Review.State.SUBMITTED)

    def for_award(self, award: AwardCategory) -> Self:
        return self.filter(award=award)

    def per_award(self):
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

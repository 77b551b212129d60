"""Review quality: chairs rate reviews (private), and the outstanding reviewers.

A rating is one chair's private judgement of one review: helpful or not, with a
note. Reviewers never see ratings. The outstanding reviewers' page lists only
reviewers who agreed to be listed, only once chairs publish it, and only names:
never a submission, so it cannot say anything about one."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from haet.models import Conference, User
from haet.rules import is_chair
from reviews.conflicts import is_conflicted
from reviews.models import ListingConsent, Recognition, Review, ReviewRating

MAX_NOTE_LENGTH = 2_000


@transaction.atomic
def rate_review(
    review: Review, *, is_helpful: bool, note: str = "", by: User
) -> ReviewRating:
    """Record (or change) this chair's rating of a submitted review. Refuses
    (PermissionDenied) non-chairs and chairs conflicted with the submission,
    (ValidationError) a draft or a note over 2,000 characters.
    Side effects: the ReviewRating row."""
    submission = review.assignment.submission
    if not is_chair(by) or is_conflicted(by, submission):
        raise PermissionDenied("Only unconflicted chairs rate reviews.")
    if not review.is_submitted:
        raise ValidationError("Only submitted reviews are rated.")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"A note has at most {MAX_NOTE_LENGTH:,} characters.")
    rating, _ = ReviewRating.objects.update_or_create(
        review=review, rated_by=by, defaults={"is_helpful": is_helpful, "note": note}
    )
    return rating


@transaction.atomic
def set_listing_consent(user: User, *, agrees: bool) -> ListingConsent:
    """A reviewer agrees (or no longer agrees) to be named among the outstanding
    reviewers. Side effects: the ListingConsent row."""
    consent, _ = ListingConsent.objects.update_or_create(
        user=user, defaults={"agrees": agrees}
    )
    return consent


@transaction.atomic
def publish_outstanding(
    conference: Conference, *, is_published: bool, by: User
) -> Recognition:
    """Chairs publish (or withdraw) the outstanding reviewers' page.
    Side effects: the Recognition row."""
    if not is_chair(by):
        raise PermissionDenied("Only chairs publish the outstanding reviewers.")
    recognition = Recognition.objects.for_conference(conference)
    recognition.is_published = is_published
    recognition.save()
    return recognition


# --- reads ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewerStanding:
    user: User
    helpful_count: int
    unhelpful_count: int
    agrees: bool

    @property
    def is_outstanding(self) -> bool:
        return self.helpful_count > 0 and self.unhelpful_count == 0


def reviewer_standings(
    conference: Conference, *, hidden_submission_ids: set[int]
) -> list[ReviewerStanding]:
    """Every reviewer with a rated review of the conference, most helpful first,
    counting only ratings of submissions not in `hidden_submission_ids` (the
    viewing chair's conflicts: their counts would tell about those). Two queries."""
    rows = list(
        ReviewRating.objects.filter(
            review__assignment__submission__conference=conference
        )
        .exclude(review__assignment__submission_id__in=hidden_submission_ids)
        .values("review__assignment__reviewer_id")
        .annotate(
            helpful=Count("pk", filter=Q(is_helpful=True)),
            unhelpful=Count("pk", filter=Q(is_helpful=False)),
        )
    )
    users = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[r["review__assignment__reviewer_id"] for r in rows]
        ).select_related("listing")
    }
    standings = []
    for row in rows:
        user = users[row["review__assignment__reviewer_id"]]
        consent = getattr(user, "listing", None)
        standings.append(
            ReviewerStanding(
                user=user,
                helpful_count=row["helpful"],
                unhelpful_count=row["unhelpful"],
                agrees=bool(consent and consent.agrees),
            )
        )
    standings.sort(
        key=lambda s: (-s.helpful_count, s.unhelpful_count, s.user.display_name)
    )
    return standings


def outstanding_reviewers(conference: Conference) -> list[User]:
    """Reviewers with at least one review rated helpful, none rated not helpful,
    who agreed to be listed; by name."""
    ratings = ReviewRating.objects.filter(
        review__assignment__submission__conference=conference
    )
    rows = ratings.values("review__assignment__reviewer_id").annotate(
        helpful=Count("pk", filter=Q(is_helpful=True)),
        unhelpful=Count("pk", filter=Q(is_helpful=False)),
    )
    ids = {
        row["review__assignment__reviewer_id"]
        for row in rows
        if row["helpful"] and not row["unhelpful"]
    }
    return sorted(
        User.objects.filter(pk__in=ids, listing__agrees=True, is_active=True),
        key=lambda u: u.display_name.casefold(),
    )

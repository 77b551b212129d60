"""Emergency reviewers: a submission is short of reviews near the deadline, a chair
picks an unconflicted pool member (ranked by affinity and current load) and invites
them with a due date in one step; accepting assigns them and opens the submission.

Reads for the chairs go through `reviews.queries.visible_to`: a chair conflicted
with a submission never sees it short, and no load counts it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import Conference, ImportantDate, User
from haet.outbox.services import queue_mail
from haet.rules import REVIEWERS, is_chair, is_reviewer
from reviews import conflicts
from reviews.affinity import compute_affinity
from reviews.assigning import assign_reviewer, conflict_refusal
from reviews.conflicts import ConflictIndex, refuse_if_hidden
from reviews.models import (
    Assignment,
    EmergencyInvitation,
    ReviewerProfile,
    ReviewSettings,
)
from reviews.pool import max_load
from reviews.queries import visible_to, with_review_stats
from submissions.models import Submission

# A submission short of reviews this close to the review deadline is flagged.
NEAR_DEADLINE = timedelta(days=7)


@dataclass(frozen=True)
class ShortSubmission:
    number: int
    title: str
    review_count: int  # submitted reviews
    assignment_count: int
    wanted: int  # reviewers per submission
    is_flagged: bool  # near (or past) the review deadline


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    email: str
    affinity: float
    load: int
    max_load: int
    invitation_status: str  # "" when not invited for this submission


def review_deadline(conference: Conference) -> datetime | None:
    date = conference.date(ImportantDate.Kind.REVIEW_DEADLINE)
    if date is None:
        return None
    date.conference = conference
    return date.closes_at


def is_near_deadline(conference: Conference, *, at: datetime | None = None) -> bool:
    closes_at = review_deadline(conference)
    return closes_at is not None and (at or clock.now()) >= closes_at - NEAR_DEADLINE


def short_submissions(conference: Conference, *, by: User) -> list[ShortSubmission]:
    """Live submissions with fewer submitted reviews than wanted, that `by` may see,
    fewest reviews first. One query for the rows."""
    wanted = ReviewSettings.objects.for_conference(conference).reviewers_per_submission
    flagged = is_near_deadline(conference)
    rows = (
        with_review_stats(
            visible_to(
                Submission.objects.filter(
                    conference=conference, state=Submission.State.SUBMITTED
                ),
                by,
            )
        )
        .filter(review_count__lt=wanted)
        .order_by("review_count", "number")
    )
    return [
        ShortSubmission(
            number=s.number,
            title=s.title,
            review_count=s.review_count,
            assignment_count=s.assignment_count,
            wanted=wanted,
            is_flagged=flagged,
        )
        for s in rows
    ]


def candidates(submission: Submission, *, by: User) -> list[Candidate]:
    """Pool members who may review `submission`: active reviewers, not assigned to
    it, not conflicted with it; best affinity first, then the lightest load (the
    load counts only assignments `by` may see). A fixed number of queries."""
    conference = submission.conference
    assigned = set(
        Assignment.objects.filter(submission=submission).values_list(
            "reviewer_id", flat=True
        )
    )
    pool = [
        u
        for u in User.objects.filter(groups__name=REVIEWERS, is_active=True)
        .exclude(pk__in=assigned)
        .order_by("pk")
        if u.pk not in assigned
    ]
    index = ConflictIndex.build(users=pool, submissions=[submission])
    pool = [u for u in pool if not index.is_conflicted(u.pk, submission.pk)]
    if not pool:
        return []
    review_settings = ReviewSettings.objects.for_conference(conference)
    affinity = compute_affinity(
        [submission], pool, review_settings=review_settings
    ).total[0]
    loads = dict(
        visible_to(Assignment.objects.all(), by)
        .filter(
            reviewer__in=pool,
            submission__conference=conference,
        )
        .exclude(submission__state="withdrawn")
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
    )
    profiles = {
        p.user_id: p
        for p in ReviewerProfile.objects.filter(user__in=pool).only(
            "user_id", "max_assignments"
        )
    }
    invited = dict(
        EmergencyInvitation.objects.filter(submission=submission).values_list(
            "reviewer_id", "status"
        )
    )
    labels = dict(EmergencyInvitation.Status.choices)
    found = [
        Candidate(
            user_id=u.pk,
            name=u.display_name,
            email=u.email,
            affinity=round(float(affinity[j]), 3),
            load=loads.get(u.pk, 0),
            max_load=max_load(profiles.get(u.pk), review_settings),
            invitation_status=labels.get(invited.get(u.pk, ""), ""),
        )
        for j, u in enumerate(pool)
    ]
    return sorted(found, key=lambda c: (-c.affinity, c.load, c.name))


def emergency_url(invitation: EmergencyInvitation) -> str:
    return reverse("reviews:emergency-answer", args=[invitation.token])


@transaction.atomic
def invite_emergency_reviewer(
    submission: Submission,
    reviewer: User,
    *,
    due_at: datetime,
    by: User,
    at: datetime | None = None,
) -> EmergencyInvitation:
    """A chair asks one pool member to review `submission` by `due_at`, `at` (the
    conference clock's now unless given: the demo seed's stage instant).
    Refuses (PermissionDenied) non-chairs and chairs conflicted with it;
    (ValidationError, with the reason) a person who is not a reviewer, is
    conflicted, is assigned already or was asked already, a due date in the past.
    Side effects: the invitation row; one mail (number, title, due date; never the
    authors) whose link accepts and opens the submission."""
    if not is_chair(by):
        raise PermissionDenied("Only chairs invite emergency reviewers.")
    refuse_if_hidden(submission, by=by)
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError(f"#{submission.number} is not under review.")
    if not is_reviewer(reviewer) or not reviewer.is_active:
        raise ValidationError(f"{reviewer} is not in the reviewer pool.")
    at = at or clock.now()
    if due_at <= at:
        raise ValidationError("The due date must be in the future.")
    if conflicts.is_conflicted(reviewer, submission):
        raise ValidationError(
            f"{reviewer} is conflicted with #{submission.number}: "
            f"{conflict_refusal(submission, reviewer, by=by)}"
        )
    if Assignment.objects.filter(submission=submission, reviewer=reviewer).exists():
        raise ValidationError(f"{reviewer} already reviews #{submission.number}.")
    if EmergencyInvitation.objects.filter(
        submission=submission, reviewer=reviewer
    ).exists():
        raise ValidationError(
            f"{reviewer} was already asked to review #{submission.number}."
        )
    invitation = EmergencyInvitation.objects.create(
        submission=submission,
        reviewer=reviewer,
        due_at=due_at,
        invited_by=by,
        created_at=at,
    )
    conference = submission.conference
    queue_mail(
        to=reviewer,
        template="emergency_invitation",
        sensitive=True,  # the link assigns the submission
        context={
            "number": submission.number,
            "title": submission.title,
            "due_text": describe_deadline(due_at, conference),
            "url": emergency_url(invitation),
            "conference": conference,
        },
        dedupe_key=f"emergency_invitation:{invitation.pk}",
        submissions=[submission],
    )
    return invitation


def _locked(invitation: EmergencyInvitation) -> EmergencyInvitation:
    return (
        EmergencyInvitation.objects.select_for_update(of=("self",))
        .select_related("submission__conference", "invited_by")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def accept_emergency(
    invitation: EmergencyInvitation, *, user: User, at: datetime | None = None
) -> Assignment:
    """The invited reviewer accepts (`at`, the conference clock's now unless
    given): they are assigned (the next pseudonym) with the invitation's due date.
    Idempotent. Refuses (ValidationError) another account, a declined invitation,
    a conflict found since, a withdrawn submission."""
    invitation = _locked(invitation)
    submission = invitation.submission
    if user.pk != invitation.reviewer_id:
        raise ValidationError(
            "This invitation is for another account: log in as the person invited."
        )
    if invitation.status == EmergencyInvitation.Status.DECLINED:
        raise ValidationError("You declined this invitation.")
    if submission.is_withdrawn:
        raise ValidationError("This submission was withdrawn: thank you all the same.")
    assignment, is_new = assign_reviewer(
        submission, user, by=invitation.invited_by or user, notify=False
    )
    if is_new:
        Assignment.objects.filter(pk=assignment.pk).update(due_at=invitation.due_at)
        assignment.due_at = invitation.due_at
    if invitation.status != EmergencyInvitation.Status.ACCEPTED:
        invitation.status = EmergencyInvitation.Status.ACCEPTED
        invitation.answered_at = at or clock.now()
        invitation.save(update_fields=["status", "answered_at"])
    return assignment


@transaction.atomic
def decline_emergency(
    invitation: EmergencyInvitation, *, user: User
) -> EmergencyInvitation:
    invitation = _locked(invitation)
    if user.pk != invitation.reviewer_id:
        raise ValidationError("This invitation is for another account.")
    if invitation.status != EmergencyInvitation.Status.INVITED:
        raise ValidationError("This invitation was answered already.")
    invitation.status = EmergencyInvitation.Status.DECLINED
    invitation.answered_at = clock.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation

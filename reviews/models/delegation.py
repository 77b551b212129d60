"""Delegation (sub-reviewers) and emergency reviewers.

- `Delegation`: an assigned reviewer hands their review of one submission to a
  delegate (a student, a colleague). The review stays the assignment's review, under
  the same pseudonym; the delegate writes the draft, the delegating reviewer reads,
  comments on and submits it. Who wrote it is recorded here, shown to chairs only.
- `DelegationComment`: the delegating reviewer's and the delegate's notes on the
  draft (only the two of them, and unconflicted chairs, read them).
- `EmergencyInvitation`: a chair asks one pool member to review a submission short
  of reviews, with a due date; accepting assigns them and opens the submission.

State changes go through `reviews.delegation` and `reviews.emergency`.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from haet import clock
from haet.models import User
from reviews.models.pool import new_token


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def live(self) -> Self:
        """Delegations that still count: proposed, awaiting the chairs, invited or
        accepted (not refused, declined or withdrawn)."""
        return self.filter(status__in=Delegation.LIVE)

    def accepted_by(self, user: User) -> Self:
        if not user.is_authenticated:
            return self.none()
        return self.filter(delegate=user, status=Delegation.Status.ACCEPTED)

    def awaiting_approval(self) -> Self:
        return self.filter(status=Delegation.Status.AWAITING_APPROVAL)


class Delegation(models.Model):
    """An assigned reviewer's review of one submission, written by a delegate."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting", "Awaiting the chairs' approval"
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined by the delegate"
        REFUSED = "refused", "Refused by the chairs"
        WITHDRAWN = "withdrawn", "Withdrawn by the reviewer"

    LIVE = (Status.AWAITING_APPROVAL, Status.INVITED, Status.ACCEPTED)

    # CASCADE: an assignment removed (never one with a started review) takes its
    # delegations along.
    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.CASCADE, related_name="delegations"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(max_length=10, choices=Status.choices)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text="The account that accepted.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The chair who approved or refused it.",
    )
    created_at = models.DateTimeField(default=clock.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The delegate saved the draft last (chairs see who wrote the review).
    drafted_at = models.DateTimeField(null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status__in=["awaiting", "invited", "accepted"]),
                name="one_live_delegation_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"Delegation of {self.assignment} to {self.email}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class DelegationComment(models.Model):
    """A note on the delegated draft, between the reviewer and the delegate."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["delegation", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.delegation_id} by {self.author_id}"


class EmergencyInvitationQuerySet(models.QuerySet["EmergencyInvitation"]):
    def pending(self) -> Self:
        return self.filter(status=EmergencyInvitation.Status.INVITED)


class EmergencyInvitation(models.Model):
    """A chair asks a pool member to review one submission short of reviews."""

    class Status(models.TextChoices):
        INVITED = "invited", "Not answered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="emergency_invitations",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="emergency_invitations",
    )
    due_at = models.DateTimeField()
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
    created_at = models.DateTimeField(default=clock.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = EmergencyInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="one_emergency_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"Emergency invitation of {self.reviewer_id} to #{self.submission_id}"

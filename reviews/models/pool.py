"""The reviewer pool: invitations and reviewer profiles."""

import secrets
from typing import Self

from django.conf import settings
from django.db import models

from haet.models import BaseModel, Topic
from reviews.models.review_settings import parse_domains


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- the reviewer pool -------------------------------------------------------------
class InvitationQuerySet(models.QuerySet):
    def pending(self) -> Self:
        return self.filter(status=Invitation.Status.INVITED)


class BaseInvitation(BaseModel):
    """A chair asks someone by email to take a role; the token link answers it.
    Reviewers' `Invitation` and area chairs' `AreaChairInvitation` share this."""

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
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class Invitation(BaseInvitation):
    """A chair asks someone by email to review; the token link answers it."""

    sent_at = models.DateTimeField(null=True, blank=True)
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

    class Meta(BaseInvitation.Meta):
        pass


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
    own_publications = models.TextField(
        blank=True,
        help_text="Titles and abstracts of a few of your own papers: the text we "
        "match submissions against.",
    )
    institution_domains = models.TextField(
        blank=True,
        help_text="Email domains of your current and recent institutions, one a "
        "line (e.g. mit.edu). Submissions from them are conflicts.",
    )
    max_assignments = models.PositiveSmallIntegerField(
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
        return f"{self.keywords}\n{self.own_publications}"

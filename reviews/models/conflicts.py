"""Stored conflict facts (declarations and waivers) and what chairs did to them.

Detected conflicts are computed on the fly by `reviews.conflicts`, the ONE place that
answers "is this user conflicted with this submission"."""

from typing import Self

from django.conf import settings
from django.db import models


# --- conflicts ---------------------------------------------------------------------
class ConflictSource(models.TextChoices):
    AUTHOR_DECLARED = "author_declared", "Declared by the authors"
    REVIEWER_DECLARED = "reviewer_declared", "Declared by the reviewer"
    DOMAIN = "domain", "Same institution domain"
    IS_AUTHOR = "is_author", "Author of the submission"
    COAUTHOR = "coauthor", "Co-author of an author"
    CHAIR_ADDED = "chair_added", "Added by a chair"
    PUBLICATION = "publication", "Co-author on a recent publication"


# What `reviews.conflicts` detects from submissions and profiles; never stored
# except as a waiver.
DETECTED_SOURCES = frozenset(
    {
        ConflictSource.AUTHOR_DECLARED,
        ConflictSource.DOMAIN,
        ConflictSource.IS_AUTHOR,
        ConflictSource.COAUTHOR,
        ConflictSource.PUBLICATION,
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

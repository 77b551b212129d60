"""Tags on submissions, and the searches chairs save.

A `Tag` is private (its owner alone sees it), shared among the chairs, or shown to
reviewers too ("needs-4th-review"). A tag is put on submissions by hand
(`SubmissionTag`) or, when a `SavedSearch` names it as its `auto_tag`, it is on
exactly the submissions that search finds, at the moment anyone looks.
"""

from typing import Self

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from haet.models import BaseModel, Conference, User
from submissions.models.submission import Submission

TAG_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
tag_name_validator = RegexValidator(
    TAG_NAME,
    "A tag name is letters, digits, '-', '_' and '.', starting with a letter or "
    "digit (no spaces), e.g. needs-4th-review.",
)


class TagQuerySet(models.QuerySet["Tag"]):
    def visible_to(self, user: User | AnonymousUser, *, blind: bool) -> Self:
        """Tags the user may see: their own private ones, and the reviewers' tags;
        with `blind` False (a chair) the chairs' tags too."""
        if not user.is_authenticated:
            return self.none()
        mine = Q(visibility=Tag.Visibility.PRIVATE, owner=user)
        if blind:
            return self.filter(mine | Q(visibility=Tag.Visibility.REVIEWERS))
        return self.filter(
            mine | Q(visibility__in=[Tag.Visibility.CHAIRS, Tag.Visibility.REVIEWERS])
        )


class Tag(BaseModel):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        CHAIRS = "chairs", "Chairs"
        REVIEWERS = "reviewers", "Chairs and reviewers"

    class Colour(models.TextChoices):
        GREY = "grey", "Grey"
        RED = "red", "Red"
        ORANGE = "orange", "Orange"
        YELLOW = "yellow", "Yellow"
        GREEN = "green", "Green"
        BLUE = "blue", "Blue"
        PURPLE = "purple", "Purple"

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=40, validators=[tag_name_validator])
    colour = models.CharField(
        max_length=10, choices=Colour.choices, default=Colour.GREY
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.CHAIRS
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "conference",
                Lower("name"),
                condition=~Q(visibility="private"),
                name="unique_shared_tag_name",
            ),
            models.UniqueConstraint(
                "conference",
                "owner",
                Lower("name"),
                condition=Q(visibility="private"),
                name="unique_private_tag_name",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.name}"


class SubmissionTag(models.Model):
    """A tag put on a submission by hand."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="tag_links"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["tag__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "tag"], name="unique_submission_tag"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} {self.tag_id}"


class SavedSearchQuerySet(models.QuerySet["SavedSearch"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The user's own searches and those shared among the chairs."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(shared=True))


class SavedSearch(BaseModel):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.TextField(max_length=1000)
    shared = models.BooleanField(
        default=True, help_text="Every chair sees it (otherwise only you)."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    auto_tag = models.OneToOneField(
        Tag,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_search",
        help_text="This tag is on exactly the submissions the search finds.",
    )

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return self.name

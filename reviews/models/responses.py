"""The optional author response: a window chairs open, one response per submission,
and the record of reviews changed after it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

from haet import deadlines
from haet.models import BaseModel, Conference
from reviews.models.reviewing import Review
from submissions.models import Submission


class ResponseWindowQuerySet(models.QuerySet["ResponseWindow"]):
    def for_conference(self, conference: Conference) -> "ResponseWindow":
        found, _ = self.get_or_create(conference=conference)
        return found


class ResponseWindow(BaseModel):
    """When authors may answer the reviews. Off by default; `last_minute` is the
    last open minute, like an ImportantDate's `at` (closes at its end).
    `updates_last_minute`: the last minute reviewers may update a submitted review
    after the authors' response, even past the review deadline; blank means
    `UPDATES_AFTER_CLOSE` after the window closes."""

    UPDATES_AFTER_CLOSE = timedelta(days=3)

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="response_window"
    )
    is_enabled = models.BooleanField(
        default=False, help_text="Authors may answer the reviews in the window."
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    last_minute = models.DateTimeField(null=True, blank=True)
    word_limit = models.PositiveIntegerField(default=500)
    updates_last_minute = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Reviewers may update their reviews after the authors' response "
        "until the end of this minute; blank: three days after the window closes.",
    )

    objects = ResponseWindowQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Response window of {self.conference}"

    @property
    def closes_at(self) -> datetime | None:
        return deadlines.end_of_minute_or_none(self.last_minute)

    @property
    def updates_close_at(self) -> datetime | None:
        """The first instant too late for reviewers to update a review after the
        response; None while the window has no closing date."""
        if self.updates_last_minute is not None:
            return deadlines.end_of_minute_or_none(self.updates_last_minute)
        closes = self.closes_at
        return None if closes is None else closes + self.UPDATES_AFTER_CLOSE

    def is_open_at(self, at: datetime) -> bool:
        closes = self.closes_at
        return (
            self.is_enabled
            and self.opens_at is not None
            and closes is not None
            and self.opens_at <= at < closes
        )


class AuthorResponse(BaseModel):
    """The authors' one answer to the reviews of their submission."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="author_response"
    )
    text = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(null=True, blank=True)  # conference clock
    submitted_at = models.DateTimeField(null=True, blank=True)
    # What the identity scan found that does not block (affiliations, links,
    # self-citations): shown to chairs.
    identity_flags = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Response on #{self.submission_id}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class ReviewAfterResponse(models.Model):
    """A submitted review changed after the authors' response: what chairs see."""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="after_response"
    )
    score_before = models.SmallIntegerField(null=True, blank=True)
    score_after = models.SmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField()  # conference clock, the last change

    def __str__(self) -> str:
        return f"{self.review} updated after the response"

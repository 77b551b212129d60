"""The optional author response: chairs open a window, authors answer the reviews
once per submission, reviewers are told and may update their review.

Writes here; the pages are `reviews.views.responses`. The response passes the same
identity scan as a PDF (`submissions.pdfcheck.identity`): an author's name or email
refuses it (nothing is submitted, the draft stays), an affiliation, a link to an
author or a self-citation is flagged for the chairs."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from haet.rules import is_chair
from reviews.conflicts import ConflictIndex
from reviews.models import (
    Assignment,
    AuthorResponse,
    ResponseWindow,
    Review,
    ReviewAfterResponse,
)
from submissions.models import Author, Submission
from submissions.pdfcheck.identity import IdentityMatcher, describe_findings
from submissions.versions import identities

MAX_RESPONSE_CHARACTERS = 30_000
MAIL_TEMPLATE = "author_response"
# Citing one's own work in the first person reveals who the authors are.
SELF_CITATION = re.compile(
    r"\b(?:our|my)\s+(?:own\s+)?(?:previous|prior|earlier|recent|past)\s+"
    r"(?:work|paper|papers|study|studies|article|publication|results?)\b"
    r"|\bwe\s+(?:have\s+)?(?:previously|earlier|already)\s+"
    r"(?:showed|shown|proposed|introduced|presented|published|demonstrated)\b"
    r"|\b(?:in|see)\s+(?:\[\d+\]|our\s+\w+\s+paper)\s*,?\s+we\b",
    re.IGNORECASE,
)


class ResponseClosed(ValidationError):
    pass


def word_count(text: str) -> int:
    return len(text.split())


def is_author_of(user: User, submission: Submission) -> bool:
    if submission.contact_id == user.pk:
        return True
    return Author.objects.filter(submission=submission, user=user).exists()


# --- the window -----------------------------------------------------------------------
@transaction.atomic
def update_response_window(
    conference: Conference,
    *,
    is_enabled: bool,
    opens_at: datetime | None,
    last_minute: datetime | None,
    word_limit: int,
    by: User,
    updates_last_minute: datetime | None = None,
) -> ResponseWindow:
    """Chairs open, move or close the response window. Opening needs both dates,
    the opening before the last minute; `updates_last_minute` (the last minute
    reviewers may update their reviews after the response; None: three days after
    the window closes) is not before the window's last minute. Raises
    PermissionDenied for non-chairs, ValidationError for bad dates.
    Side effects: the ResponseWindow row."""
    if not is_chair(by):
        raise PermissionDenied("Only chairs set the response window.")
    if is_enabled and (opens_at is None or last_minute is None):
        raise ValidationError("Give the opening and the closing date of the window.")
    if opens_at and last_minute and opens_at >= last_minute:
        raise ValidationError("The window must open before it closes.")
    if updates_last_minute and last_minute and updates_last_minute < last_minute:
        raise ValidationError(
            "Reviewers update their reviews after the response: give a date "
            "after the window closes, or leave it blank (three days after)."
        )
    if word_limit < 1:
        raise ValidationError("The word limit must be at least 1.")
    window = ResponseWindow.objects.for_conference(conference)
    window.is_enabled = is_enabled
    window.opens_at = opens_at
    window.last_minute = last_minute
    window.word_limit = word_limit
    window.updates_last_minute = updates_last_minute
    window.save()
    return window


def ensure_open(window: ResponseWindow, *, at: datetime) -> None:
    if window.is_open_at(at):
        return
    closes = window.closes_at
    if window.is_enabled and closes is not None and at >= closes:
        raise ResponseClosed(
            "The response window closed at "
            f"{describe_deadline(closes, window.conference)}. Nothing was changed.",
            code="closed",
        )
    raise ResponseClosed("The response window is not open.", code="not_open")


# --- the identity scan ----------------------------------------------------------------
@dataclass(frozen=True)
class Scan:
    blocking: str  # names and emails: the response is refused
    flags: str  # affiliations, links, self-citations: shown to chairs


def scan_identity(submission: Submission, text: str) -> Scan:
    """What of the authors' identity `text` reveals (their Author rows)."""
    matcher = IdentityMatcher(identities(submission.authors.all()))
    blocking = matcher.names_in(text) + matcher.emails_in(text)
    flagged = matcher.affiliations_in(text) + matcher.links_in(text)
    notes = []
    if flagged:
        notes.append(f"Author details: {describe_findings(flagged)}.")
    citations = sorted({m.group(0) for m in SELF_CITATION.finditer(text)})
    if citations:
        quoted = ", ".join(f"“{c}”" for c in citations)
        notes.append(f"Possible self-citation: {quoted}.")
    return Scan(
        blocking=describe_findings(blocking) if blocking else "",
        flags=" ".join(notes),
    )


# --- the response ---------------------------------------------------------------------
def _lock(submission: Submission, *, by: User, at: datetime) -> AuthorResponse:
    """The submission's response row, locked; checks author and window."""
    submission = Submission.objects.select_related("conference").get(pk=submission.pk)
    if not is_author_of(by, submission) or submission.is_withdrawn:
        raise PermissionDenied("Only the authors respond to the reviews.")
    window = ResponseWindow.objects.for_conference(submission.conference)
    window.conference = submission.conference
    ensure_open(window, at=at)
    response, _ = AuthorResponse.objects.select_for_update().get_or_create(
        submission=submission
    )
    response.submission = submission
    if response.is_submitted:
        raise ValidationError(
            "The response was already submitted: there is one per submission."
        )
    return response


@transaction.atomic
def save_response_draft(
    submission: Submission, text: str, *, by: User, at: datetime | None = None
) -> AuthorResponse:
    """Keep the authors' draft response (any length up to 30,000 characters).
    Refuses (PermissionDenied) anyone but its authors, (ResponseClosed) outside
    the window, (ValidationError) once submitted. Side effects: the draft row."""
    at = at or clock.now()
    response = _lock(submission, by=by, at=at)
    if len(text) > MAX_RESPONSE_CHARACTERS:
        raise ValidationError(
            f"A response has at most {MAX_RESPONSE_CHARACTERS:,} characters."
        )
    response.text = text
    response.written_by = by
    response.saved_at = at
    response.save()
    return response


@transaction.atomic
def submit_response(
    submission: Submission, text: str, *, by: User, at: datetime | None = None
) -> AuthorResponse:
    """Submit the response, once. Refuses like `save_response_draft`, and
    (ValidationError) an empty text, one over the word limit, or one naming an
    author (name or email). Nothing is written when it refuses.
    Side effects: the response, flagged with what the scan found that does not
    block; one "author_response" mail to each assigned reviewer (live, active,
    not conflicted), after commit."""
    at = at or clock.now()
    response = _lock(submission, by=by, at=at)
    submission = response.submission
    window = ResponseWindow.objects.for_conference(submission.conference)
    text = text.strip()
    if not text:
        raise ValidationError("Write your response first.")
    words = word_count(text)
    if words > window.word_limit:
        raise ValidationError(
            f"Your response has {words} words; the limit is {window.word_limit}. "
            "Shorten it and submit again."
        )
    scan = scan_identity(submission, text)
    if scan.blocking:
        raise ValidationError(
            f"The response names an author ({scan.blocking}). Reviewing is "
            "double-blind: refer to your own work in the third person. Nothing "
            "was submitted."
        )
    response.text = text
    response.written_by = by
    response.saved_at = response.submitted_at = at
    response.state = AuthorResponse.State.SUBMITTED
    response.identity_flags = scan.flags
    response.save()
    notify_reviewers_of_response(response)
    return response


def notify_reviewers_of_response(response: AuthorResponse) -> int:
    """One mail per assigned reviewer who may act on it; returns how many."""
    submission = response.submission
    assignments = list(
        Assignment.objects.filter(submission=submission).select_related("reviewer")
    )
    index = ConflictIndex.build(
        users=[a.reviewer for a in assignments], submissions=[submission]
    )
    url = reverse("reviews:submission", args=[submission.number]) + "#response"
    queued = 0
    for assignment in assignments:
        if not assignment.reviewer.is_active or index.is_conflicted(
            assignment.reviewer_id, submission.pk
        ):
            continue
        mail = queue_mail(
            to=assignment.reviewer,
            template=MAIL_TEMPLATE,
            context={
                "number": submission.number,
                "title": submission.title,
                "pseudonym": assignment.pseudonym,
                "url": url,
                "conference": submission.conference,
            },
            dedupe_key=f"{MAIL_TEMPLATE}:{response.pk}:{assignment.pk}",
            submissions=[submission],
        )
        queued += mail is not None
    return queued


def response_update_closes_at(
    assignment: Assignment, *, conference: Conference
) -> datetime | None:
    """Until when (the first instant too late) the assigned reviewer may update
    their submitted review in the light of the authors' submitted response, even
    past the review deadline: the window's `updates_close_at`. None when that does
    not apply: no response, no submitted review (a draft never submitted stays
    bound by the review deadline), no window dates. Three queries at most."""
    window = ResponseWindow.objects.filter(conference=conference).first()
    if window is None or window.last_minute is None:
        return None
    if not Review.objects.filter(
        assignment=assignment, state=Review.State.SUBMITTED
    ).exists():
        return None
    if not AuthorResponse.objects.filter(
        submission_id=assignment.submission_id, state=AuthorResponse.State.SUBMITTED
    ).exists():
        return None
    return window.updates_close_at


def note_review_change(
    review: Review, *, score_before: int | None, at: datetime
) -> ReviewAfterResponse | None:
    """Called by `save_review` when a submitted review changes: after a submitted
    response, record it for the chairs (the first score before, the latest after)."""
    response = AuthorResponse.objects.filter(
        submission_id=review.assignment.submission_id,
        state=AuthorResponse.State.SUBMITTED,
        submitted_at__lte=at,
    ).first()
    if response is None:
        return None
    change, is_new = ReviewAfterResponse.objects.get_or_create(
        review=review,
        defaults={
            "score_before": score_before,
            "score_after": review.score,
            "updated_at": at,
        },
    )
    if not is_new:
        change.score_after = review.score
        change.updated_at = at
        change.save(update_fields=["score_after", "updated_at"])
    return change

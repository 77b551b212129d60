"""A schedule's items and sessions, and what may be said about an item's
submission (its outcome, title, authors, presenter).

What a page may say about a submission:
- the public pages (and the chairs' preview of them) name an oral or a poster only
  once its acceptance is released, and never a withdrawn one ("to be announced");
- the editor never names a submission the chair is conflicted with, nor warns
  about one: a warning is about its decision ("accepted, no place").
"""

from django.db.models import Prefetch, QuerySet

from decisions.models import Decision, outcome_of
from proceedings.models import CameraReady
from schedule.models import Item, PosterBoard, Schedule, Session
from submissions.models import Author, Submission

SUBMISSION_DETAILS = (
    "submission__decision",
    "submission__camera_ready",
    "presenter",
)


def items_of(schedule: Schedule) -> QuerySet[Item]:
    """Every item of the day with its session, submission, decision, camera-ready,
    authors and poster boards (the same for each board): five queries."""
    authors = Prefetch("submission__authors", queryset=Author.objects.order_by("order"))
    boards = Prefetch(
        "boards",
        queryset=PosterBoard.objects.select_related(*SUBMISSION_DETAILS)
        .prefetch_related(authors)
        .order_by("number"),
    )
    return (
        Item.objects.filter(session__schedule=schedule)
        .select_related("session", *SUBMISSION_DETAILS)
        .prefetch_related(authors, boards)
        .order_by("starts_at", "session__room", "pk")
    )


def sessions_of(schedule: Schedule) -> list[Session]:
    """The sessions, each with `.day_items` (its items, in time order)."""
    sessions = list(schedule.sessions.order_by("starts_at", "room", "pk"))
    by_pk = {session.pk: session for session in sessions}
    for session in sessions:
        session.day_items = []
    for item in items_of(schedule):
        item.session = by_pk[item.session_id]
        item.session.day_items.append(item)
    return sessions


def _decision(submission: Submission) -> Decision | None:
    try:
        return submission.decision
    except Decision.DoesNotExist:
        return None


def outcome(submission: Submission) -> str:
    """Its outcome now: the decision's, or withdrawn (what `placed_outcome` keeps)."""
    return outcome_of(submission, _decision(submission))


def default_presenter(submission: Submission) -> Author | None:
    """The first author: who presents unless the chairs choose another author."""
    return submission.authors.order_by("order", "pk").first()


def camera_of(submission: Submission) -> CameraReady | None:
    try:
        return submission.camera_ready
    except CameraReady.DoesNotExist:
        return None


def is_public(submission: Submission) -> bool:
    """May the public pages name it? Accepted, released, not withdrawn."""
    decision = _decision(submission)
    return (
        decision is not None
        and decision.is_released
        and decision.is_accepted
        and submission.state != Submission.State.WITHDRAWN
    )


def title_of(submission: Submission) -> str:
    camera = camera_of(submission)
    return (camera.title if camera else "") or submission.title


def authors_of(submission: Submission) -> list[str]:
    camera = camera_of(submission)
    if camera is not None and camera.authors:
        return camera.author_names
    return [a.name for a in submission.authors.all()]

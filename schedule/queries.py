"""Reading the schedule: the chairs' editor (with its warnings) and what the public
sees, each in a fixed number of queries whatever the number of items.

What a page may say about a submission:
- the public pages (and the chairs' preview of them) name an oral or a poster only
  once its acceptance is released, and never a withdrawn one ("to be announced");
- the editor never names a submission the chair is conflicted with, nor warns
  about one: a warning is about its decision ("accepted, no place").
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.urls import reverse

from awards.models import AwardResult
from decisions.models import (
    ACCEPTED,
    DECISION_LABELS,
    WITHDRAWN,
    CameraReady,
    Decision,
    Outcome,
    outcome_of,
)
from haet.models import User
from reviews.conflicts import conflicted_submission_ids
from schedule.models import Item, PosterBoard, Schedule, Session
from submissions.models import Author, Submission

SUBMISSION_DETAILS = (
    "submission__decision",
    "submission__camera_ready",
    "presenter",
)


def items_of(schedule: Schedule):
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


def _camera(submission: Submission) -> CameraReady | None:
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
    camera = _camera(submission)
    return (camera.title if camera else "") or submission.title


def authors_of(submission: Submission) -> list[str]:
    camera = _camera(submission)
    if camera is not None and camera.authors:
        return camera.author_names
    return [a.name for a in submission.authors.all()]


# --- the public view ------------------------------------------------------------------
@dataclass
class PublicPaper:
    number: int
    title: str
    authors: list[str]
    presenter: str
    slides_url: str
    poster_url: str
    pdf_url: str
    arxiv_url: str


@dataclass
class PublicBoard:
    number: int
    paper: PublicPaper | None  # None: to be announced


@dataclass
class PublicItem:
    code: str
    kind: str
    kind_label: str
    title: str
    starts_at: datetime
    ends_at: datetime
    session: str
    session_chair: str
    room: str
    stream_url: str
    paper: PublicPaper | None = None
    speaker: str = ""
    abstract: str = ""
    bio: str = ""
    photo_url: str = ""
    video_url: str = ""
    boards: list[PublicBoard] = field(default_factory=list)
    awards: list[dict] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("schedule:item", args=[self.code])

    @property
    def ics_url(self) -> str:
        return reverse("schedule:item-ics", args=[self.code])

    @property
    def speakers(self) -> list[str]:
        return [line.strip() for line in self.speaker.splitlines() if line.strip()]


def public_paper(submission: Submission, presenter: Author | None) -> PublicPaper:
    camera = _camera(submission)
    number = submission.number
    return PublicPaper(
        number=number,
        title=title_of(submission),
        authors=authors_of(submission),
        presenter=presenter.name if presenter else "",
        slides_url=reverse("schedule:slides", args=[number])
        if camera and camera.slides
        else "",
        poster_url=reverse("schedule:poster", args=[number])
        if camera and camera.poster
        else "",
        pdf_url=reverse("accepted:pdf", args=[number])
        if camera and camera.current_version_id and camera.include_in_proceedings
        else "",
        arxiv_url=(camera.arxiv_url if camera else "") or submission.arxiv_url,
    )


def award_results(conference) -> list[dict]:
    """Announced results of papers whose decision is released (awards.publication)."""
    results = (
        AwardResult.objects.announced()
        .filter(
            award__conference=conference,
            submission__decision__released_at__isnull=False,
        )
        .select_related("award", "submission__camera_ready")
        .order_by("award__order", "award__pk", "-place", "submission__number")
    )
    return [
        {
            "award": result.award.name,
            "place": result.get_place_display(),
            "title": title_of(result.submission),
            "number": result.submission.number,
            "citation": result.citation,
        }
        for result in results
    ]


def public_items(schedule: Schedule) -> list[PublicItem]:
    """What anyone may read of the day, in time order."""
    items = list(items_of(schedule))
    needs_awards = any(i.kind == Item.Kind.AWARD_CEREMONY for i in items)
    awards = award_results(schedule.conference) if needs_awards else []
    found = []
    for item in items:
        public = PublicItem(
            code=item.code,
            kind=item.kind,
            kind_label=item.get_kind_display(),
            title=item.title or item.get_kind_display(),
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            session=item.session.title,
            session_chair=item.session.chair_name,
            room=item.session.room,
            stream_url=item.session.stream_url,
            speaker=item.speaker if item.has_speaker else "",
            abstract=item.abstract,
            bio=item.bio if item.has_speaker else "",
            photo_url=reverse("schedule:photo", args=[item.code]) if item.photo else "",
            video_url=item.video_url,
        )
        if item.is_oral:
            public.abstract = ""
            if item.submission_id and is_public(item.submission):
                public.paper = public_paper(item.submission, item.presenter)
                public.title = public.paper.title
                public.abstract = item.submission.abstract
            else:
                public.title = "To be announced"
        elif item.is_poster_session:
            public.boards = [
                PublicBoard(
                    board.number,
                    public_paper(board.submission, board.presenter)
                    if is_public(board.submission)
                    else None,
                )
                for board in item.boards.all()
            ]
        elif item.kind == Item.Kind.AWARD_CEREMONY:
            public.awards = awards
        found.append(public)
    return found


def rooms_of(items: list[PublicItem]) -> list[tuple[str, list[PublicItem]]]:
    rooms: dict[str, list[PublicItem]] = {}
    for item in items:
        rooms.setdefault(item.room or "Online", []).append(item)
    return sorted(rooms.items())


# --- the editor -----------------------------------------------------------------------
@dataclass
class Warning:
    kind: str  # clash, overrun, unplaced, withdrawn, decision_changed
    message: str
    item_code: str = ""


def _presences(items: list[Item], hidden: set[int]):
    """(person key, who, item) for everyone on stage or at a poster board."""
    for item in items:
        if item.is_oral and item.submission_id and item.submission_id not in hidden:
            person = item.presenter
            if person is not None:
                yield person.email.lower(), person.name, item
        elif item.is_poster_session:
            for board in item.boards.all():
                if board.submission_id not in hidden and board.presenter:
                    yield board.presenter.email.lower(), board.presenter.name, item
        elif item.speaker_email:
            yield item.speaker_email.lower(), item.speaker, item


def _label(item: Item, hidden: set[int]) -> str:
    if item.submission_id and item.submission_id not in hidden:
        return f"#{item.submission.number} {title_of(item.submission)}"
    return item.title or item.get_kind_display()


def warnings_for(
    schedule: Schedule, items: list[Item], *, viewer: User
) -> list[Warning]:
    """What the chairs should fix before (or after) publishing. Two queries beyond
    the items; nothing about a submission the viewer is conflicted with."""
    hidden = conflicted_submission_ids(viewer)
    found: list[Warning] = []
    fmt = schedule.local

    # A person in two places at once.
    seen: dict[str, list[tuple[str, Item]]] = {}
    for key, name, item in _presences(items, hidden):
        for _, other in seen.get(key, []):
            overlap = item.starts_at < other.ends_at and other.starts_at < item.ends_at
            if overlap and other.pk != item.pk:
                found.append(
                    Warning(
                        "clash",
                        f"{name} is in two places at once: "
                        f"{_label(other, hidden)} ({fmt(other.starts_at):%H:%M}) "
                        f"and {_label(item, hidden)} ({fmt(item.starts_at):%H:%M}).",
                        item.code,
                    )
                )
        seen.setdefault(key, []).append((name, item))

    for item in items:
        session = item.session
        if item.starts_at < session.starts_at or item.ends_at > session.ends_at:
            found.append(
                Warning(
                    "overrun",
                    f"{_label(item, hidden)} ({fmt(item.starts_at):%H:%M} to "
                    f"{fmt(item.ends_at):%H:%M}) is outside its session "
                    f"“{session.title}” ({fmt(session.starts_at):%H:%M} to "
                    f"{fmt(session.ends_at):%H:%M}).",
                    item.code,
                )
            )

    # Placed submissions whose state or decision changed since.
    placed: list[tuple[Submission, str, Item, str]] = []
    for item in items:
        if item.submission_id:
            placed.append((item.submission, item.placed_outcome, item, "slot"))
        for board in item.boards.all() if item.is_poster_session else ():
            placed.append(
                (board.submission, board.placed_outcome, item, f"board {board.number}")
            )

    def label(value: str) -> str:
        return DECISION_LABELS.get(value, value)

    for submission, was, item, where in placed:
        if submission.pk in hidden:
            continue
        now = outcome(submission)
        name = f"#{submission.number} {title_of(submission)}"
        if now == WITHDRAWN:
            found.append(
                Warning(
                    "withdrawn",
                    f"{name} was withdrawn but is still scheduled ({where}).",
                    item.code,
                )
            )
        elif was and now != was:
            found.append(
                Warning(
                    "decision_changed",
                    f"The decision on {name} changed from “{label(was)}” to "
                    f"“{label(now)}” since it was placed ({where}).",
                    item.code,
                )
            )

    # Accepted papers with no place.
    placed_ids = {s.pk for s, *_ in placed}
    waiting = (
        Submission.objects.filter(
            conference=schedule.conference,
            state=Submission.State.SUBMITTED,
            decision__outcome__in=ACCEPTED,
        )
        .exclude(pk__in=placed_ids | hidden)
        .select_related("decision", "camera_ready")
        .order_by("number")
    )
    for submission in waiting:
        kind = (
            "oral" if submission.decision.outcome == Outcome.ACCEPT_ORAL else "poster"
        )
        found.append(
            Warning(
                "unplaced",
                f"#{submission.number} {title_of(submission)} is an accepted {kind} "
                "with no place in the schedule.",
            )
        )
    return found


def accepted_to_place(schedule: Schedule, kind: str, *, viewer: User):
    """Accepted, not withdrawn submissions with outcome `kind`, minus those the
    viewer is conflicted with (they are placed by a chair who may see them)."""
    return (
        Submission.objects.filter(
            conference=schedule.conference,
            state=Submission.State.SUBMITTED,
            decision__outcome=kind,
        )
        .exclude(pk__in=conflicted_submission_ids(viewer))
        .order_by("number")
    )


def oral_choices(schedule: Schedule, *, viewer: User):
    """Accepted orals the viewer may place (for the item form)."""
    return accepted_to_place(schedule, Outcome.ACCEPT_ORAL, viewer=viewer)

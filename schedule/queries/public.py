"""What the public sees of the schedule, in a fixed number of queries whatever
the number of items. An oral or a poster is named only once its acceptance is
released, and never a withdrawn one ("to be announced").
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from awards.models import AwardResult
from haet.models import Conference
from schedule.models import Item, Schedule
from schedule.queries.items import authors_of, camera_of, is_public, items_of, title_of
from submissions.models import Author, Submission


@dataclass
class PublicSubmission:
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
    submission: PublicSubmission | None  # None: to be announced


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
    submission: PublicSubmission | None = None
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


def public_submission(
    submission: Submission, presenter: Author | None
) -> PublicSubmission:
    camera = camera_of(submission)
    number = submission.number
    return PublicSubmission(
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


def award_results(conference: Conference) -> list[dict]:
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
            if item.submission and is_public(item.submission):
                public.submission = public_submission(item.submission, item.presenter)
                public.title = public.submission.title
                public.abstract = item.submission.abstract
            else:
                public.title = "To be announced"
        elif item.is_poster_session:
            public.boards = [
                PublicBoard(
                    board.number,
                    public_submission(board.submission, board.presenter)
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

"""Building the workshop day: the only code that writes the schedule.

Every function takes the acting chair as `by=` and refuses anyone else. After
the schedule is published, a change of an item's time tells its presenters once
(an outbox mail whose dedupe key is the item and its old and new time), so a
double click, a retry or a form saved twice sends one mail.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max

from decisions.models import Outcome
from haet import clock
from haet.models import Conference, User
from reviews.conflicts import conflicted_submission_ids
from schedule.mails import notify_moved
from schedule.models import Item, PosterBoard, Schedule, Session
from schedule.queries.editor import accepted_to_place
from schedule.queries.items import default_presenter, outcome
from submissions.models import Author, Submission


def _ensure_chair(by: User) -> None:
    if not by.has_perm("schedule.edit"):
        raise PermissionDenied


def schedule_of(conference: Conference) -> Schedule:
    """The conference's schedule (created empty, for HAET 2022's day, if none)."""
    return Schedule.objects.for_conference(conference)


def at_venue(schedule: Schedule, at: time, *, day: date | None = None) -> datetime:
    """The instant `at` o'clock on the workshop day in the venue's zone."""
    naive = datetime.combine(day or schedule.day, at)
    return naive.replace(tzinfo=schedule.tzinfo)


@transaction.atomic
def update_schedule(
    schedule: Schedule, *, venue_time_zone: str, day: date, by: User
) -> Schedule:
    """Change the venue zone or the day. Sessions and items keep their venue
    clock times (10:20 stays 10:20 in the new zone or on the new day)."""
    _ensure_chair(by)
    old_zone, old_day = schedule.tzinfo, schedule.day
    schedule.venue_time_zone = venue_time_zone
    schedule.day = day
    schedule.full_clean()
    schedule.save()
    if (old_zone, old_day) == (schedule.tzinfo, day):
        return schedule

    def moved(at: datetime) -> datetime:
        local = at.astimezone(old_zone)
        shift = (local.date() - old_day).days
        return datetime.combine(day + timedelta(days=shift), local.time()).replace(
            tzinfo=schedule.tzinfo
        )

    for session in schedule.sessions.all():
        session.starts_at, session.ends_at = (
            moved(session.starts_at),
            moved(session.ends_at),
        )
        session.save(update_fields=["starts_at", "ends_at", "updated_at"])
    for item in Item.objects.filter(session__schedule=schedule):
        old, since = item.starts_at, item.updated_at
        item.starts_at, item.ends_at = moved(item.starts_at), moved(item.ends_at)
        item.save(update_fields=["starts_at", "ends_at", "updated_at"])
        notify_moved(item, old_starts_at=old, since=since)
    return schedule


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end must come after the start."})


@transaction.atomic
def save_session(
    schedule: Schedule,
    *,
    session: Session | None = None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    chair_name: str = "",
    room: str = "",
    stream_url: str = "",
    by: User,
) -> Session:
    """Create a session, or change one. Moving a session's start moves its items
    by the same amount (each moved item's presenters are told, once published)."""
    _ensure_chair(by)
    _check_times(starts_at, ends_at)
    shift = timedelta(0)
    if session is None:
        session = Session(schedule=schedule)
    elif session.starts_at != starts_at:
        shift = starts_at - session.starts_at
    session.title = title
    session.chair_name = chair_name
    session.room = room
    session.stream_url = stream_url
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.full_clean()
    session.save()
    if shift:
        for item in session.items.all():
            old, since = item.starts_at, item.updated_at
            item.starts_at += shift
            item.ends_at += shift
            item.save(update_fields=["starts_at", "ends_at", "updated_at"])
            notify_moved(item, old_starts_at=old, since=since)
    return session


@transaction.atomic
def delete_session(session: Session, *, by: User) -> None:
    _ensure_chair(by)
    session.delete()


@transaction.atomic
def save_item(
    session: Session,
    *,
    item: Item | None = None,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    title: str = "",
    submission: Submission | None = None,
    presenter: Author | None = None,
    speaker: str = "",
    speaker_email: str = "",
    abstract: str = "",
    bio: str = "",
    photo: UploadedFile | None = None,
    video_url: str = "",
    by: User,
) -> Item:
    """Create an item in `session`, or change one (possibly into another session).

    An oral's presenter must be one of its submission's authors (default: the
    first). Side effects: once published, a changed start time mails the
    presenters (see `notify_moved`)."""
    _ensure_chair(by)
    _check_times(starts_at, ends_at)
    if kind != Item.Kind.ORAL:
        submission = presenter = None
    if submission is not None and submission.pk in conflicted_submission_ids(by):
        raise PermissionDenied
    if presenter is not None and presenter.submission_id != getattr(
        submission, "pk", None
    ):
        raise ValidationError({"presenter": "The presenter must be an author."})
    old_starts_at = item.starts_at if item is not None else None
    since = item.updated_at if item is not None else None
    if item is None:
        item = Item()
    if submission is not None and (
        item.submission_id != submission.pk or not item.placed_outcome
    ):
        item.placed_outcome = outcome(submission)
    if submission is None:
        item.placed_outcome = ""
    item.session = session
    item.kind = kind
    item.title = title
    item.starts_at = starts_at
    item.ends_at = ends_at
    item.submission = submission
    item.presenter = presenter or (
        default_presenter(submission) if submission else None
    )
    item.speaker = speaker
    item.speaker_email = speaker_email
    item.abstract = abstract
    item.bio = bio
    item.video_url = video_url
    if photo is not None:
        item.photo = photo
    item.full_clean()
    item.save()
    if old_starts_at is not None:
        notify_moved(item, old_starts_at=old_starts_at, since=since)
    return item


@transaction.atomic
def move_item(item: Item, *, session: Session, starts_at: datetime, by: User) -> Item:
    """Move an item (drag and drop, or the move form) keeping its length.
    Side effects: once published, its presenters are told (once per change)."""
    _ensure_chair(by)
    if session.schedule_id != item.session.schedule_id:
        raise ValidationError("The item can only move within the same schedule.")
    old_starts_at, since = item.starts_at, item.updated_at
    length = item.ends_at - item.starts_at
    item.session = session
    item.starts_at = starts_at
    item.ends_at = starts_at + length
    item.save(update_fields=["session", "starts_at", "ends_at", "updated_at"])
    notify_moved(item, old_starts_at=old_starts_at, since=since)
    return item


@transaction.atomic
def delete_item(item: Item, *, by: User) -> None:
    _ensure_chair(by)
    item.delete()


def _topic_key(submission: Submission) -> tuple:
    topics = sorted(submission.topics.all(), key=lambda t: (t.order, t.pk))
    first = topics[0] if topics else None
    return (first is None, first.order if first else 0, submission.number)


@transaction.atomic
def fill_orals(schedule: Schedule, *, order: str = "number", by: User) -> list[Item]:
    """Place accepted orals that have no place yet into the empty oral slots, in
    time order, by paper number or by (first) topic. Idempotent: a second run
    finds nothing left to place. Returns the items filled."""
    _ensure_chair(by)
    if order not in ("number", "topic"):
        raise ValidationError("Fill by number or by topic.")
    slots = list(
        Item.objects.filter(
            session__schedule=schedule, kind=Item.Kind.ORAL, submission__isnull=True
        ).order_by("starts_at", "session__room", "pk")
    )
    placed = Item.objects.filter(submission__isnull=False).values("submission")
    waiting = list(
        accepted_to_place(schedule, Outcome.ACCEPT_ORAL, viewer=by)
        .exclude(pk__in=placed)
        .prefetch_related("topics")  # the topic order
    )
    if order == "topic":
        waiting.sort(key=_topic_key)
    filled = []
    for slot, submission in zip(slots, waiting, strict=False):
        slot.submission = submission
        slot.presenter = default_presenter(submission)
        slot.placed_outcome = Outcome.ACCEPT_ORAL
        slot.save(
            update_fields=["submission", "presenter", "placed_outcome", "updated_at"]
        )
        filled.append(slot)
    return filled


@transaction.atomic
def assign_poster_boards(schedule: Schedule, *, by: User) -> list[PosterBoard]:
    """Give every accepted poster without a board one, in the poster session with
    the fewest boards (earlier sessions first on a tie), numbered from 1 within
    its session after the boards already there. Idempotent."""
    _ensure_chair(by)
    sessions = list(
        Item.objects.filter(
            session__schedule=schedule, kind=Item.Kind.POSTER_SESSION
        ).order_by("starts_at", "pk")
    )
    if not sessions:
        return []
    counts = {
        row["item"]: (row["n"], row["top"])
        for row in PosterBoard.objects.filter(item__in=sessions)
        .values("item")
        .annotate(n=Count("pk"), top=Max("number"))
    }
    load = {s.pk: counts.get(s.pk, (0, 0))[0] for s in sessions}
    top = {s.pk: counts.get(s.pk, (0, 0))[1] or 0 for s in sessions}
    boarded = PosterBoard.objects.values("submission")
    created = []
    for submission in accepted_to_place(
        schedule, Outcome.ACCEPT_POSTER, viewer=by
    ).exclude(pk__in=boarded):
        target = min(sessions, key=lambda s: load[s.pk])  # min keeps the earliest
        top[target.pk] += 1
        load[target.pk] += 1
        created.append(
            PosterBoard.objects.create(
                item=target,
                submission=submission,
                number=top[target.pk],
                presenter=default_presenter(submission),
                placed_outcome=Outcome.ACCEPT_POSTER,
            )
        )
    return created


@transaction.atomic
def remove_poster_board(board: PosterBoard, *, by: User) -> None:
    _ensure_chair(by)
    if board.submission_id in conflicted_submission_ids(by):
        raise PermissionDenied
    board.delete()


@transaction.atomic
def publish_schedule(
    schedule: Schedule, *, by: User, at: datetime | None = None
) -> Schedule:
    """Make the public pages visible. Only after the decisions are released: the
    programme names accepted papers. Idempotent (keeps the first instant)."""
    from awards.publication import decisions_released

    _ensure_chair(by)
    if not decisions_released(schedule.conference):
        raise ValidationError(
            "The schedule can be published once the decisions are released: it "
            "names accepted papers."
        )
    if schedule.published_at is None:
        schedule.published_at = at or clock.now()
        schedule.save(update_fields=["published_at", "updated_at"])
    return schedule


@transaction.atomic
def unpublish_schedule(schedule: Schedule, *, by: User) -> Schedule:
    _ensure_chair(by)
    schedule.published_at = None
    schedule.save(update_fields=["published_at", "updated_at"])
    return schedule

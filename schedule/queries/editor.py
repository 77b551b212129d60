"""The chairs' editor: its warnings and what may be placed, in a fixed number of
queries whatever the number of items. The editor never names a submission the
chair is conflicted with, nor warns about one: a warning is about its decision
("accepted, no place").
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from decisions.models import ACCEPTED, DECISION_LABELS, WITHDRAWN, Outcome
from haet.models import User
from reviews.conflicts import conflicted_submission_ids
from schedule.models import Item, Schedule, workshop_day
from schedule.queries.items import outcome, title_of
from submissions.models import Submission


@dataclass
class Warning:
    kind: str  # day, clash, overrun, unplaced, withdrawn, decision_changed
    message: str
    item_code: str = ""


def _presences(items: list[Item], hidden: set[int]) -> Iterator[tuple[str, str, Item]]:
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


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _label(item: Item, hidden: set[int]) -> str:
    submission = item.submission if item.submission_id else None
    if submission is not None and submission.pk not in hidden:
        return f"#{submission.number} {title_of(submission)}"
    return item.title or item.get_kind_display()


def warnings_for(
    schedule: Schedule, items: list[Item], *, viewer: User
) -> list[Warning]:
    """What the chairs should fix before (or after) publishing. Two queries beyond
    the items; nothing about a submission the viewer is conflicted with."""
    hidden = conflicted_submission_ids(viewer)
    found: list[Warning] = []
    fmt = schedule.local
    # The schedule keeps its day when the workshop date moves: say so.
    day = workshop_day(schedule.conference)
    if day is not None and day != schedule.day:
        found.append(
            Warning(
                "day",
                f"The schedule is for {_day(schedule.day)} but the workshop date "
                f"is {_day(day)}: change the day in the settings below (sessions "
                "keep their clock times).",
            )
        )

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
        if item.submission_id and item.submission is not None:
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


def accepted_to_place(
    schedule: Schedule, kind: str, *, viewer: User
) -> QuerySet[Submission]:
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


def oral_choices(schedule: Schedule, *, viewer: User) -> QuerySet[Submission]:
    """Accepted orals the viewer may place (for the item form)."""
    return accepted_to_place(schedule, Outcome.ACCEPT_ORAL, viewer=viewer)

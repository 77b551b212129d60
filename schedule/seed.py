"""The demo's workshop day for `manage.py seed_haet2022 --stage over`: a complete,
published schedule built through schedule.services as a chair would build it
(sessions, invited talks, one oral slot per accepted oral filled by "fill orals",
poster boards, breaks, the panel and the award ceremony). Idempotent: a schedule
that already has sessions is left alone."""

from datetime import datetime, time, timedelta

from decisions.models import Decision, Outcome
from haet.clock import parse_instant
from haet.seed import STAGE_NOW
from schedule.models import Item
from schedule.services import (
    assign_poster_boards,
    at_venue,
    fill_orals,
    publish_schedule,
    save_item,
    save_session,
    schedule_of,
)
from submissions.models import Submission

ROOM = "Room 310, Baltimore Convention Center"
STREAM = "https://icml.cc/virtual/2022/workshop/13458"
INVITED = [
    (
        "Training at the edge of the memory wall",
        "Dr. Ines Invited\nExample Hardware Lab",
        "Why memory bandwidth, not arithmetic, bounds training today, and what "
        "near-memory compute changes.",
        "Ines Invited leads the accelerator group of Example Hardware Lab.",
    ),
    (
        "Sparse and low-precision training in production",
        "Prof. Paul Keynote\nExample University",
        "Lessons from deploying sparse, 8-bit training across a fleet.",
        "Paul Keynote works on efficient deep learning systems.",
    ),
]
ORAL_MINUTES = 15


def seed_schedule(sender, *, conference, stage, accounts, stdout, **_) -> None:
    """Receiver of haet.signals.seed_demo (after the decisions are released)."""
    chair = accounts.get("chair")
    if stage != "over" or chair is None:
        return
    released = Decision.objects.accepted().released()
    if not released.filter(submission__conference=conference).exists():
        return  # a demo without papers has nothing to schedule
    schedule = schedule_of(conference)
    if schedule.sessions.exists():
        return
    orals = Decision.objects.filter(
        submission__conference=conference,
        submission__state=Submission.State.SUBMITTED,
        outcome=Outcome.ACCEPT_ORAL,
    ).count()
    morning = (orals + 1) // 2
    clock = at_venue(schedule, time(9, 0))

    def session(title: str, minutes: int):
        nonlocal clock
        found = save_session(
            schedule,
            title=title,
            starts_at=clock,
            ends_at=clock + timedelta(minutes=minutes),
            chair_name=chair.display_name,
            room=ROOM,
            stream_url=STREAM,
            by=chair,
        )
        clock = found.ends_at
        return found

    def item(found, kind: str, start: datetime, minutes: int, **fields):
        return save_item(
            found,
            kind=kind,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            by=chair,
            **fields,
        )

    for number, slots in ((1, morning), (2, orals - morning)):
        title, speaker, abstract, bio = INVITED[number - 1]
        talks = session(f"Talks {number}", 40 + ORAL_MINUTES * slots)
        item(
            talks,
            Item.Kind.INVITED_TALK,
            talks.starts_at,
            40,
            title=title,
            speaker=speaker,
            abstract=abstract,
            bio=bio,
        )
        for slot in range(slots):
            start = talks.starts_at + timedelta(minutes=40 + ORAL_MINUTES * slot)
            item(talks, Item.Kind.ORAL, start, ORAL_MINUTES)
        pause = session("Coffee break" if number == 1 else "Lunch", 30 * number)
        item(pause, Item.Kind.BREAK, pause.starts_at, 30 * number)
        posters = session(f"Posters {number}", 60)
        item(
            posters,
            Item.Kind.POSTER_SESSION,
            posters.starts_at,
            60,
            title=f"Poster session {number}",
        )
    closing = session("Panel and awards", 75)
    item(
        closing,
        Item.Kind.PANEL,
        closing.starts_at,
        60,
        title="Panel: is efficient training a hardware or an algorithm problem?",
        speaker="Ines Invited\nPaul Keynote\nCasey Chair (moderator)",
    )
    item(
        closing,
        Item.Kind.AWARD_CEREMONY,
        closing.starts_at + timedelta(minutes=60),
        15,
        title="Award ceremony",
    )
    filled = fill_orals(schedule, by=chair)
    boards = assign_poster_boards(schedule, by=chair)
    released_at = parse_instant(STAGE_NOW["decision"]) + timedelta(days=20)
    publish_schedule(schedule, by=chair, at=released_at)
    stdout.write(
        f"Schedule: {schedule.sessions.count()} sessions, {len(filled)} orals, "
        f"{len(boards)} poster boards, published."
    )

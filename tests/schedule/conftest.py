"""A workshop day to schedule: the decisions World (#1 by `author`, #2 by
`other_author`, a conflicted chair) plus more accepted orals and posters, decided
and released through the decisions services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from schedule.services import save_item, save_session, schedule_of
from tests.decisions.conftest import (
    World,
    login,  # noqa: F401 - pytest fixtures
)
from tests.factories import SubmissionFactory, UserFactory

VENUE = ZoneInfo("America/New_York")


def venue(hour: int, minute: int = 0) -> datetime:
    """An instant on 23 July 2022 at the venue (Baltimore)."""
    return datetime(2022, 7, 23, hour, minute, tzinfo=VENUE)


class Day(World):
    """#1 (author, coauthor, the conflicted chair's colleague) and #3 are orals,
    #2 (other_author) and #4 posters; #5 is rejected. Released."""

    def __init__(self, conference, author, chair):
        super().__init__(conference, author, chair)
        self.poster_author = UserFactory(email="poster@uni.example", name="Pia Poster")
        self.oral2 = SubmissionFactory(
            conference=conference,
            number=3,
            contact=self.other_author,
            title="Low-precision optimisers at scale",
            topics=self.topics[:1],
        )
        self.poster2 = SubmissionFactory(
            conference=conference,
            number=4,
            contact=self.poster_author,
            title="Activation checkpointing on phones",
            topics=self.topics[2:3],
        )
        self.rejected = SubmissionFactory(
            conference=conference,
            number=5,
            contact=self.poster_author,
            title="Rejected idea",
        )
        decide(self.submission, Outcome.ACCEPT_ORAL, by=chair)
        decide(self.oral2, Outcome.ACCEPT_ORAL, by=chair)
        decide(self.other_submission, Outcome.ACCEPT_POSTER, by=chair)
        decide(self.poster2, Outcome.ACCEPT_POSTER, by=chair)
        decide(self.rejected, Outcome.REJECT, by=chair)
        self.schedule = schedule_of(conference)

    def release(self):
        _, tokens, _ = preview_release(self.conference, by=self.chair)
        release_decisions(self.conference, tokens=tokens, by=self.chair, notify=False)

    def build(self, *, orals: int = 2):
        """A morning session with `orals` empty oral slots (20 min from 10:00), a
        poster session at 11:00 and the award ceremony at 12:00."""
        self.morning = save_session(
            self.schedule,
            title="Orals",
            starts_at=venue(10),
            ends_at=venue(11),
            room="Room 310",
            chair_name="Sam Session",
            by=self.chair,
        )
        self.slots = [
            save_item(
                self.morning,
                kind="oral",
                starts_at=venue(10, 20 * i),
                ends_at=venue(10, 20 * i + 20) if i < 2 else venue(11),
                by=self.chair,
            )
            for i in range(orals)
        ]
        self.afternoon = save_session(
            self.schedule,
            title="Posters and prizes",
            starts_at=venue(11),
            ends_at=venue(13),
            room="Hall B",
            by=self.chair,
        )
        self.posters = save_item(
            self.afternoon,
            kind="poster_session",
            title="Poster session",
            starts_at=venue(11),
            ends_at=venue(12),
            by=self.chair,
        )
        self.ceremony = save_item(
            self.afternoon,
            kind="award_ceremony",
            title="Award ceremony",
            starts_at=venue(12),
            ends_at=venue(12, 30),
            by=self.chair,
        )
        return self


@pytest.fixture
def day(conference, author, chair):
    return Day(conference, author, chair)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

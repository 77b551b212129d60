"""Helpers for the reviews tests: submissions with chosen authors, reviewers.

The reviewing world (`reviewing`): submission #1 (with a distinctive co-author) has
a reviewer copy and supplementary material, `reviewer` is assigned, and `second`
(another reviewer) has submitted a review. The clock stands during the review period.
"""

import hashlib
import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from haet import clock
from haet.models import Topic
from reviews import reminders
from reviews.assigning import assign_reviewer
from reviews.declared_conflicts import declare_conflict
from reviews.models import ReviewSettings
from reviews.reviewing import save_review
from submissions.models import (
    SubmissionVersion,
    SupplementaryFile,
)
from tests.factories import SubmissionFactory, UserFactory

DECLARED_AT = datetime(2022, 5, 1, tzinfo=UTC)


@pytest.fixture
def topics(conference):
    return list(Topic.objects.filter(conference=conference))


@pytest.fixture
def make_reviewer(db):
    counter = iter(range(1, 10_000))

    def make(email: str = "", **fields):
        email = email or f"reviewer{next(counter)}@rev{next(counter)}.example.net"
        return UserFactory(email=email, role="reviewer", **fields)

    return make


# --- a small world with every persona of the access matrix ------------------------
LEAK_NAME = "Zebulon Quixotic-Farnsworth"
LEAK_EMAIL = "zebulon@quixotic-institute.example"
LEAK_AFFILIATION = "Quixotic Institute of Peculiar Computing"
PERSONAS = [
    "anonymous",
    "author",
    "other_author",
    "reviewer",
    "unassigned_reviewer",
    "conflicted_reviewer",
    "chair",
    "conflicted_chair",
]


class World:
    """Submission #1 by `author` with a distinctive co-author; #2 by `other_author`.
    `reviewer` is assigned to #1; `conflicted_reviewer` and `conflicted_chair` share
    the co-author's institution domain."""

    def __init__(self, conference, author, chair):
        from reviews.assigning import assign_reviewer

        self.conference = conference
        self.author = author
        self.chair = chair
        self.other_author = UserFactory(
            email="other@elsewhere.example", name="Olga Other"
        )
        self.reviewer = UserFactory(
            email="assigned@rev.example.net", name="Rita Assigned", role="reviewer"
        )
        self.unassigned_reviewer = UserFactory(
            email="idle@rev2.example.net", name="Ian Idle", role="reviewer"
        )
        self.conflicted_reviewer = UserFactory(
            email="colleague@quixotic-institute.example",
            name="Carl Colleague",
            role="reviewer",
        )
        self.conflicted_chair = UserFactory(
            email="dean@quixotic-institute.example", name="Dana Dean", role="chair"
        )
        topics = list(Topic.objects.filter(conference=conference))
        self.submission = SubmissionFactory(
            conference=conference,
            number=1,
            contact=author,
            authors=[(LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION)],
            title="Sparse training of transformers on FPGAs",
            topics=topics[:1],
        )
        self.other_submission = SubmissionFactory(
            conference=conference,
            number=2,
            contact=self.other_author,
            title="Energy models of training on GPUs",
            topics=topics[1:2],
        )
        self.assignment, _ = assign_reviewer(
            self.submission, self.reviewer, by=chair, notify=False
        )

    def user(self, persona: str):
        return None if persona == "anonymous" else getattr(self, persona)


@pytest.fixture
def world(conference, author, chair):
    return World(conference, author, chair)


@pytest.fixture
def login(client):
    def as_(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_


BIDDING_TIME = "2022-05-30T12:00:00Z"  # after the submission deadline, bidding open
AFTER_BIDDING = "2022-06-03T12:00:00Z"


@pytest.fixture
def during_bidding(frozen):
    frozen(BIDDING_TIME)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks and mail delivery run in-process (mailoutbox), even when CI sets
    REDIS_URL."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


# --- the reviewing world ------------------------------------------------------------
REVIEW_TIME = "2022-06-05T12:00:00Z"
# The HAET review deadline, 8 June 2022 23:59 UTC-11, is open to its last minute.
REVIEW_CLOSES_AT = "2022-06-09T11:00:00Z"
SECOND_NAME = "Sigrid Secondperson"
SECOND_EMAIL = "sigrid@second-lab.example.net"


def answers(**changes) -> dict:
    """A complete review under the default form."""
    return {
        "score": 2,
        "confidence": 4,
        "summary": "The submission trains sparse transformers on FPGAs.",
        "strengths": "Clear energy measurements.",
        "weaknesses": "One benchmark only.",
        "comments": "Please add a second benchmark.",
        "confidential": "Borderline for me; happy to be convinced.",
        "nominations": [],
        **changes,
    }


@pytest.fixture(autouse=True)
def _registered():
    """What the reviews AppConfig.ready does once it calls
    reviews.reminders.register (idempotent)."""
    reminders.register()


@pytest.fixture
def during_review(frozen):
    frozen(REVIEW_TIME)


def attach_files(submission) -> SubmissionVersion:
    """A reviewer copy and a supplementary file, written straight to storage (the
    leak tests go through the real upload)."""
    data = b"%PDF-1.4 reviewer copy\n%%EOF\n"
    version = SubmissionVersion(
        submission=submission,
        original_filename="original-name.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=submission.contact,
        uploaded_at=clock.now(),
    )
    version.original.save("x.pdf", ContentFile(data), save=False)
    version.reviewer_copy.save("x.pdf", ContentFile(data + b"copy"), save=False)
    version.save()
    supplementary = SupplementaryFile(
        submission=submission,
        original_filename="supplement-name.zip",
        sha256="0" * 64,
        size=4,
        uploaded_by=submission.contact,
        uploaded_at=clock.now(),
    )
    supplementary.file.save("s.zip", ContentFile(b"PK.."), save=False)
    supplementary.reviewer_copy.save("s.zip", ContentFile(b"PK..copy"), save=False)
    supplementary.save()
    submission.current_version = version
    submission.supplementary = supplementary
    submission.save()
    return version


class Reviewing:
    def __init__(self, world):
        self.world = world
        self.submission = world.submission
        self.chair = world.chair
        self.reviewer = world.reviewer
        self.assignment = world.assignment
        attach_files(self.submission)
        self.second = UserFactory(email=SECOND_EMAIL, name=SECOND_NAME, role="reviewer")
        self.second_assignment, _ = assign_reviewer(
            self.submission, self.second, by=world.chair, notify=False
        )
        self.second_review = save_review(
            self.second_assignment,
            answers(score=-1, summary="Second opinion: needs more work."),
            by=self.second,
            submit=True,
        )
        self.settings = ReviewSettings.objects.for_conference(world.conference)
        self.settings.is_discussion_open = True
        self.settings.save()

    def conflict_later(self):
        """A conflict found after the assignment (the chair records it)."""
        declare_conflict(
            self.submission,
            self.reviewer,
            source="chair_added",
            reason="Former student of an author",
            by=self.chair,
        )


@pytest.fixture
def reviewing(world, during_review):
    return Reviewing(world)


@pytest.fixture
def bench_script():
    """Load a script of ``bench/`` as a module, to test its functions."""

    def load(name: str):
        path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(f"{name}_bench", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load

"""Helpers for the reviews tests: submissions with chosen authors, reviewers."""

from datetime import UTC, datetime

import pytest

from haet.models import Topic
from submissions.models import Author, DeclaredConflict, Submission
from tests.conftest import make_user

DECLARED_AT = datetime(2022, 5, 1, tzinfo=UTC)


def make_submission(
    conference,
    *,
    number: int,
    contact,
    authors=(),
    title: str = "",
    abstract: str = "We train networks with less energy.",
    topics=(),
    state=Submission.State.SUBMITTED,
    keywords: str = "",
):
    """A submission; `authors` are (name, email, affiliation) or Users; the contact
    is listed first."""
    submission = Submission.objects.create(
        conference=conference,
        number=number,
        title=title or f"Efficient training method number {number}",
        abstract=abstract,
        keywords=keywords,
        state=state,
        contact=contact,
        created_by=contact,
    )
    people = [(contact.name, contact.email, contact.affiliation, contact)]
    for item in authors:
        if hasattr(item, "email"):
            people.append((item.name, item.email, item.affiliation, item))
        else:
            people.append((*item, None))
    for order, (name, email, affiliation, user) in enumerate(people):
        Author.objects.create(
            submission=submission,
            order=order,
            name=name,
            email=email,
            affiliation=affiliation,
            user=user,
        )
    if topics:
        submission.topics.set(topics)
    return submission


def declare(submission, value: str, *, kind=DeclaredConflict.Kind.PERSON):
    return DeclaredConflict.objects.create(
        submission=submission,
        kind=kind,
        value=value,
        declared_by=submission.contact,
        declared_at=DECLARED_AT,
    )


@pytest.fixture
def topics(conference):
    return list(Topic.objects.filter(conference=conference))


@pytest.fixture
def make_reviewer(db):
    counter = iter(range(1, 10_000))

    def make(email: str = "", **fields):
        email = email or f"reviewer{next(counter)}@rev{next(counter)}.example.net"
        return make_user(email, role="reviewer", **fields)

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
        from reviews.services import assign_reviewer

        self.conference = conference
        self.author = author
        self.chair = chair
        self.other_author = make_user("other@elsewhere.example", name="Olga Other")
        self.reviewer = make_user(
            "assigned@rev.example.net", name="Rita Assigned", role="reviewer"
        )
        self.unassigned_reviewer = make_user(
            "idle@rev2.example.net", name="Ian Idle", role="reviewer"
        )
        self.conflicted_reviewer = make_user(
            "colleague@quixotic-institute.example",
            name="Carl Colleague",
            role="reviewer",
        )
        self.conflicted_chair = make_user(
            "dean@quixotic-institute.example", name="Dana Dean", role="chair"
        )
        topics = list(Topic.objects.filter(conference=conference))
        self.submission = make_submission(
            conference,
            number=1,
            contact=author,
            authors=[(LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION)],
            title="Sparse training of transformers on FPGAs",
            topics=topics[:1],
        )
        self.other_submission = make_submission(
            conference,
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

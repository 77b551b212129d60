"""Fixtures for the decisions tests: a small world with every persona, reviews
written directly (the reviewing pages are another app's), decisions via services."""

from datetime import UTC, datetime
from itertools import count

import pytest

from haet.models import Topic
from reviews.assigning import assign_reviewer
from reviews.models import ReviewForm
from tests.factories import SubmissionFactory, UserFactory
from tests.reviews.conftest import LEAK_AFFILIATION, LEAK_EMAIL, LEAK_NAME, login  # noqa: F401 - pytest fixtures

REVIEWED_AT = datetime(2022, 6, 8, tzinfo=UTC)
BEFORE_RELEASE = "2022-06-10T12:00:00Z"
PERSONAS = [
    "anonymous",
    "author",
    "coauthor",
    "other_author",
    "reviewer",
    "conflicted_reviewer",
    "chair",
    "conflicted_chair",
]


_counter = count(1)


class World:
    """#1 by `author` with `coauthor` (a linked account) and a distinctive third
    author (no account); #2 by `other_author`. `reviewer` reviews #1;
    `conflicted_reviewer` and `conflicted_chair` share the third author's domain."""

    def __init__(self, conference, author, chair):
        self.conference = conference
        self.author = author
        self.chair = chair
        self.coauthor = UserFactory(
            email="cora@coauthors.example", name="Cora Coauthor", affiliation="Uni B"
        )
        self.other_author = UserFactory(
            email="other@elsewhere.example", name="Olga Other"
        )
        self.reviewer = UserFactory(
            email="assigned@rev.example.net", name="Rita Assigned", role="reviewer"
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
        self.topics = topics
        self.submission = SubmissionFactory(
            conference=conference,
            number=1,
            contact=author,
            authors=[self.coauthor, (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION)],
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
        ReviewForm.objects.for_conference(conference)

    def user(self, persona: str):
        return None if persona == "anonymous" else getattr(self, persona)


@pytest.fixture
def world(conference, author, chair):
    return World(conference, author, chair)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(service, *args, **kwargs)`: call it and run its on-commit
    callbacks (mail delivery), as a real request would."""

    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

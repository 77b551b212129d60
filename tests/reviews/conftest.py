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

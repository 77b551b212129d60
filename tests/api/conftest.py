"""A small world for the API's persona tests: an author's submission S reviewed by
a reviewer, another submission O that a second reviewer (assigned before the
conflict was found) and a second chair (one of O's authors) are conflicted with."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import create_token
from haet.models import User
from reviews.assigning import assign_reviewer
from reviews.models import Assignment
from submissions.models import Author, Submission
from tests.factories import (
    DeclaredConflictFactory,
    ReviewerFactory,
    ReviewFactory,
    SubmissionFactory,
    UserFactory,
    attach_checked_pdf,
)

S_TITLE = "Author-visible title of S"
O_TITLE = "Hidden-from-conflicted title of O"
O_AUTHOR = ("Olga Quokka-Author", "olga@quokka-uni.example", "Quokka University")


@dataclass
class World:
    author: User
    reviewer: User
    conflicted_reviewer: User
    chair: User
    conflicted_chair: User
    s: Submission
    o: Submission


@pytest.fixture
def world(conference, chair, author, frozen) -> World:
    frozen(datetime(2022, 6, 1, 12, tzinfo=UTC))
    s = SubmissionFactory(contact=author, title=S_TITLE, keywords="sparsity")
    o_contact = UserFactory(
        email=O_AUTHOR[1], name=O_AUTHOR[0], affiliation=O_AUTHOR[2]
    )
    o = SubmissionFactory(contact=o_contact, title=O_TITLE)
    for submission in (s, o):
        submission.topics.set(conference.topics.all()[:1])
        attach_checked_pdf(submission)
    reviewer = ReviewerFactory(name="Rita Reviewer")
    assignment, _ = assign_reviewer(s, reviewer, by=chair)
    ReviewFactory(assignment=assignment, score=2, comments="Solid work on S.")
    assign_reviewer(o, reviewer, by=chair)
    conflicted_reviewer = ReviewerFactory(name="Conrad Conflicted")
    # Assigned first; the authors declare the conflict afterwards.
    Assignment.objects.create(
        submission=o,
        reviewer=conflicted_reviewer,
        pseudonym_index=9,
        created_at=datetime(2022, 6, 1, tzinfo=UTC),
    )
    DeclaredConflictFactory(
        submission=o, kind="person", value=conflicted_reviewer.email
    )
    conflicted_chair = UserFactory(
        email="cochair@example.org", name="Cora Cochair", role="chair"
    )
    Author.objects.create(
        submission=o,
        order=1,
        name=conflicted_chair.name,
        email=conflicted_chair.email,
        user=conflicted_chair,
    )
    return World(author, reviewer, conflicted_reviewer, chair, conflicted_chair, s, o)


def token_client(user: User | None, scope: str = ApiToken.Scope.CHAIRING) -> APIClient:
    """A client sending a fresh token of `user` (anonymous without one)."""
    client = APIClient()
    if user is not None:
        if (
            scope == ApiToken.Scope.CHAIRING
            and not user.groups.filter(name="chairs").exists()
        ):
            scope = ApiToken.Scope.REVIEWING
        _, key = create_token(user, name="test", scope=scope)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client

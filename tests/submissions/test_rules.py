"""submissions.rules: the predicates and permissions, asked directly."""

import pytest
from django.contrib.auth.models import AnonymousUser

from submissions.models import Author
from submissions.rules import is_submission_author
from tests.factories import DeclaredConflictFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(conference, author, chair, reviewer, outsider):
    """#1 by `author` with a linked co-author and one without an account; a chair
    declared conflicted with it."""
    coauthor = UserFactory(email="co@example.org", name="Cora Coauthor")
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        authors=[coauthor, ("Nia Noaccount", "nia@example.org", "Uni N")],
    )
    conflicted_chair = UserFactory(email="cc@example.org", role="chair")
    DeclaredConflictFactory(submission=submission, value=conflicted_chair.email)
    return {
        "submission": submission,
        "contact": author,
        "coauthor": coauthor,
        "chair": chair,
        "conflicted_chair": conflicted_chair,
        "reviewer": reviewer,
        "outsider": outsider,
        "anonymous": AnonymousUser(),
    }


def test_the_contact_and_linked_authors_are_authors(people):
    submission = people["submission"]

    assert [
        is_submission_author(people[who], submission)
        for who in ("contact", "coauthor", "chair", "outsider", "anonymous")
    ] == [True, True, False, False, False]
    assert not is_submission_author(people["contact"], None)


def test_an_author_without_a_linked_account_is_no_author_yet(people, conference):
    submission = people["submission"]
    nia = UserFactory(email="nia@example.org")  # same address, not linked

    assert not is_submission_author(nia, submission)

    Author.objects.filter(email=nia.email).update(user=nia)

    assert is_submission_author(nia, submission)


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        (
            "submissions.view_submission",
            {"contact", "coauthor", "chair"},
        ),
        ("submissions.change_submission", {"contact", "coauthor"}),
        ("submissions.download_original", {"contact", "coauthor", "chair"}),
        ("submissions.grant_extension", {"chair"}),
    ],
)
def test_object_permissions_per_persona(people, perm, allowed):
    personas = [
        "contact",
        "coauthor",
        "chair",
        "conflicted_chair",
        "reviewer",
        "outsider",
        "anonymous",
    ]

    granted = {
        who for who in personas if people[who].has_perm(perm, people["submission"])
    }

    assert granted == allowed


def test_anyone_signed_in_may_submit(people):
    granted = {
        who
        for who in ("contact", "chair", "outsider", "anonymous")
        if people[who].has_perm("submissions.add_submission")
    }

    assert granted == {"contact", "chair", "outsider"}

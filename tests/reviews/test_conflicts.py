"""Conflict detection: one test per rule, waivers, and the bulk index."""

import pytest
from django.core.exceptions import ValidationError

from reviews.bidding import place_bid
from reviews.conflicts import (
    ConflictIndex,
    conflict_reasons,
    conflicted_submission_ids,
    is_conflicted,
)
from reviews.declared_conflicts import (
    declare_conflict,
    unwaive_conflict,
    waive_conflict,
)
from reviews.models import ConflictLog, ConflictSource, ReviewerProfile
from submissions.models import DeclaredConflict
from tests.factories import DeclaredConflictFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(conference, author):
    return SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        authors=[("Bea Coauthor", "bea@mit.example.edu", "MIT")],
    )


def sources(user, submission) -> set[str]:
    return {r.source for r in conflict_reasons(user, submission) if not r.is_waived}


def test_unrelated_reviewer_is_not_conflicted(paper, make_reviewer):
    reviewer = make_reviewer("someone@far.example.net")

    assert not is_conflicted(reviewer, paper)
    assert conflicted_submission_ids(reviewer) == set()


def test_author_declared_person_is_a_conflict(paper, make_reviewer):
    reviewer = make_reviewer("rival@far.example.net")
    DeclaredConflictFactory(submission=paper, value="rival@far.example.net")

    assert is_conflicted(reviewer, paper)
    assert sources(reviewer, paper) == {ConflictSource.AUTHOR_DECLARED}


def test_author_declared_domain_covers_subdomains_and_profile_domains(
    paper, make_reviewer
):
    by_email = make_reviewer("x@cs.stanford.example.edu")
    by_profile = make_reviewer("y@gmail.com")
    ReviewerProfile.objects.create(
        user=by_profile, institution_domains="stanford.example.edu"
    )
    DeclaredConflictFactory(
        submission=paper,
        value="stanford.example.edu",
        kind=DeclaredConflict.Kind.DOMAIN,
    )

    assert sources(by_email, paper) == {ConflictSource.AUTHOR_DECLARED}
    assert sources(by_profile, paper) == {ConflictSource.AUTHOR_DECLARED}


def test_same_email_domain_as_an_author_is_a_conflict(paper, make_reviewer):
    reviewer = make_reviewer("carol@mit.example.edu")

    assert sources(reviewer, paper) == {ConflictSource.DOMAIN}


def test_declared_institution_domain_equal_to_an_authors_is_a_conflict(
    paper, make_reviewer
):
    reviewer = make_reviewer("dave@elsewhere.example.net")
    ReviewerProfile.objects.create(
        user=reviewer, institution_domains="mit.example.edu\nold-lab.example.org"
    )

    assert sources(reviewer, paper) == {ConflictSource.DOMAIN}


def test_public_mail_domains_are_ignored(conference, author, make_reviewer):
    submission = SubmissionFactory(
        conference=conference,
        number=5,
        contact=author,
        authors=[("Gus Gmail", "gus@gmail.com", "")],
    )
    reviewer = make_reviewer("someone.else@gmail.com")

    assert not is_conflicted(reviewer, submission)


def test_a_reviewer_who_is_an_author_is_conflicted(paper, author):
    from haet.services import set_role

    set_role(author, "reviewer", granted=True)

    assert ConflictSource.IS_AUTHOR in sources(author, paper)


def test_an_author_listed_only_by_email_is_conflicted(paper, make_reviewer):
    bea = make_reviewer("bea@mit.example.edu")

    assert ConflictSource.IS_AUTHOR in sources(bea, paper)


def test_coauthor_on_another_submission_is_a_conflict(conference, paper, make_reviewer):
    # The reviewer wrote submission 2 with Bea, who is an author of submission 1.
    reviewer = make_reviewer("erin@far.example.net")
    other_contact = UserFactory(email="frank@other.example.org", name="Frank")
    SubmissionFactory(
        conference=conference,
        number=2,
        contact=other_contact,
        authors=[reviewer, ("Bea Coauthor", "bea@mit.example.edu", "MIT")],
    )

    reasons = conflict_reasons(reviewer, paper)

    assert [r.source for r in reasons] == [ConflictSource.COAUTHOR]
    assert "Bea Coauthor" in reasons[0].reason
    assert "#2" in reasons[0].reason


def test_reviewer_declared_conflict_comes_from_a_conflict_bid(
    paper, make_reviewer, during_bidding
):
    reviewer = make_reviewer("gina@far.example.net")

    place_bid(paper, reviewer, value="conflict")

    assert sources(reviewer, paper) == {ConflictSource.REVIEWER_DECLARED}
    place_bid(paper, reviewer, value="willing")
    assert not is_conflicted(reviewer, paper)


def test_chair_added_conflict_is_logged(paper, make_reviewer, chair):
    reviewer = make_reviewer("hank@far.example.net")

    declare_conflict(
        paper,
        reviewer,
        source=ConflictSource.CHAIR_ADDED,
        reason="PhD advisor",
        by=chair,
    )

    assert sources(reviewer, paper) == {ConflictSource.CHAIR_ADDED}
    log = ConflictLog.objects.get()
    assert (log.action, log.by, log.reason) == ("added", chair, "PhD advisor")


def test_a_waived_conflict_no_longer_applies_and_is_logged(paper, make_reviewer, chair):
    reviewer = make_reviewer("ivy@mit.example.edu")
    assert is_conflicted(reviewer, paper)

    waive_conflict(
        paper, reviewer, source=ConflictSource.DOMAIN, reason="Other campus", by=chair
    )

    assert not is_conflicted(reviewer, paper)
    [reason] = conflict_reasons(reviewer, paper)
    assert (reason.source, reason.is_waived) == (ConflictSource.DOMAIN, True)
    assert list(ConflictLog.objects.values_list("action", "by")) == [
        ("waived", chair.pk)
    ]
    unwaive_conflict(paper, reviewer, source=ConflictSource.DOMAIN, by=chair)
    assert is_conflicted(reviewer, paper)


def test_a_waiver_of_one_source_leaves_the_others(paper, make_reviewer, chair):
    reviewer = make_reviewer("jo@mit.example.edu")
    DeclaredConflictFactory(submission=paper, value="jo@mit.example.edu")

    waive_conflict(paper, reviewer, source=ConflictSource.DOMAIN, by=chair)

    assert sources(reviewer, paper) == {ConflictSource.AUTHOR_DECLARED}


def test_being_an_author_cannot_be_waived(paper, author, chair):
    with pytest.raises(ValidationError):
        waive_conflict(paper, author, source=ConflictSource.IS_AUTHOR, by=chair)


def test_conflicted_chair_is_found_by_the_same_rules(paper):
    dean = UserFactory(email="dean@mit.example.edu", role="chair")

    assert is_conflicted(dean, paper)
    assert not dean.has_perm("reviews.chair_view_submission", paper)


def test_index_answers_many_users_and_submissions_in_constant_queries(
    conference, author, make_reviewer, django_assert_max_num_queries
):
    for number in range(1, 21):
        SubmissionFactory(
            conference=conference,
            number=number,
            contact=author,
            authors=[(f"A{number}", f"a{number}@lab{number % 4}.example.org", "")],
        )
    reviewers = [make_reviewer(f"r{n}@lab{n % 4}.example.org") for n in range(12)]

    # 8: the seventh reads the reviewers' recent publications (co-authors).
    with django_assert_max_num_queries(8):
        index = ConflictIndex.build(users=reviewers)

    # Each lab's reviewers conflict with that lab's five submissions.
    assert len(index.pairs()) == 12 * 5

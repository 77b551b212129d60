"""Delegation (issue 16): the conflict rules before anything is shared, the chairs'
approval, the delegate's acceptance and draft, the reviewer's submission under the
same pseudonym, and who sees what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.models import User
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.delegation import (
    accept_delegation,
    approve_delegation,
    comment_on_delegation,
    decline_delegation,
    delegate_conflicts,
    propose_delegation,
    refuse_delegation,
    save_delegated_draft,
    withdraw_delegation,
)
from reviews.for_authors import author_reviews
from reviews.models import Delegation, Review, ReviewSettings
from reviews.reviewing import save_review
from tests.factories import DeclaredConflictFactory, SubmissionFactory, UserFactory
from tests.reviews.conftest import LEAK_EMAIL, answers

pytestmark = pytest.mark.django_db

DELEGATE = ("Dora Student", "dora@student-lab.example.net")


@pytest.fixture
def delegating(world, during_review):
    return world


def propose(world, name=DELEGATE[0], email=DELEGATE[1]):
    return propose_delegation(
        world.assignment, name=name, email=email, by=world.reviewer
    )


def accepted(world, *, needs_approval=False) -> tuple[Delegation, User]:
    ReviewSettings.objects.filter(conference=world.conference).update(
        delegation_needs_approval=needs_approval
    )
    delegation = propose(world)
    delegate = UserFactory(email=DELEGATE[1], name=DELEGATE[0])
    return accept_delegation(delegation, user=delegate), delegate


# --- the conflict rules, before anything is shared ------------------------------------
def declared(world, email):
    DeclaredConflictFactory(submission=world.submission, value=email)


def coauthor(world, email):
    SubmissionFactory(
        conference=world.conference,
        number=7,
        authors=[("Co Author", email, "Lab"), ("Z Q-F", LEAK_EMAIL, "Q")],
    )


@pytest.mark.parametrize(
    ("email", "prepare", "reason"),
    [
        ("x@quixotic-institute.example", None, "Same institution domain"),
        (LEAK_EMAIL, None, "Is an author"),
        ("friend@elsewhere-lab.example.net", declared, "The authors declared"),
        ("coauthor@far-lab.example.net", coauthor, "Co-author of"),
    ],
)
def test_a_conflicting_delegate_is_refused_with_the_reason(
    delegating, email, prepare, reason
):
    if prepare:
        prepare(delegating, email)
    users_before = User.objects.count()

    with pytest.raises(ValidationError) as refused:
        propose(delegating, email=email)

    assert reason in " ".join(refused.value.messages)
    assert "nothing was shared" in " ".join(refused.value.messages)
    assert Delegation.objects.count() == 0
    assert OutboxMail.objects.filter(to_email=email).count() == 0
    assert User.objects.count() == users_before  # the provisional check left nothing


def test_an_unconflicted_person_without_an_account_passes(delegating):
    assert delegate_conflicts(delegating.submission, email=DELEGATE[1]) == []
    assert not User.objects.filter(email=DELEGATE[1]).exists()


def test_a_delegation_needing_approval_waits_for_a_chair(delegating):
    delegation = propose(delegating)

    assert delegation.status == Delegation.Status.AWAITING_APPROVAL
    assert not OutboxMail.objects.filter(template="delegation_invitation").exists()

    approve_delegation(delegation, by=delegating.chair)

    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.INVITED
    mail = OutboxMail.objects.get(template="delegation_invitation")
    assert mail.to_email == DELEGATE[1]
    assert reverse("reviews:delegation-answer", args=[delegation.token]) in (
        mail.body_text
    )
    with pytest.raises(ValidationError):
        approve_delegation(delegation, by=delegating.chair)


def test_a_chair_refuses_and_a_reviewer_cannot_approve(delegating):
    delegation = propose(delegating)
    with pytest.raises(PermissionDenied):
        approve_delegation(delegation, by=delegating.reviewer)
    with pytest.raises(PermissionDenied):  # conflicted with #1: as if it did not exist
        approve_delegation(delegation, by=delegating.conflicted_chair)

    refuse_delegation(delegation, by=delegating.chair)

    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.REFUSED
    assert not OutboxMail.objects.filter(template="delegation_invitation").exists()


def test_without_approval_the_delegate_is_invited_at_once(delegating):
    ReviewSettings.objects.filter(conference=delegating.conference).update(
        delegation_needs_approval=False
    )
    delegation = propose(delegating)
    assert delegation.status == Delegation.Status.INVITED
    assert OutboxMail.objects.filter(template="delegation_invitation").count() == 1
    # The link opens the submission: chairs see that the mail went, never the link.
    assert OutboxMail.objects.get(template="delegation_invitation").is_sensitive
    with pytest.raises(ValidationError, match="already delegated"):
        propose(delegating, email="other@another-lab.example.net")


def test_only_the_assigned_reviewer_delegates(delegating):
    with pytest.raises(PermissionDenied):
        propose_delegation(
            delegating.assignment,
            name="X",
            email=DELEGATE[1],
            by=delegating.unassigned_reviewer,
        )


def test_the_accepting_account_is_checked_too(delegating):
    ReviewSettings.objects.filter(conference=delegating.conference).update(
        delegation_needs_approval=False
    )
    delegation = propose(delegating)

    with pytest.raises(ValidationError, match="Same institution domain"):
        accept_delegation(delegation, user=delegating.conflicted_reviewer)

    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.INVITED
    assert delegation.delegate is None


def test_a_delegate_may_decline(delegating):
    ReviewSettings.objects.filter(conference=delegating.conference).update(
        delegation_needs_approval=False
    )
    delegation = decline_delegation(propose(delegating))
    assert delegation.status == Delegation.Status.DECLINED


# --- the draft, the notes, the submission ---------------------------------------------
def test_delegate_drafts_and_the_reviewer_submits_under_the_same_pseudonym(
    delegating,
):
    delegation, delegate = accepted(delegating)

    review = save_delegated_draft(
        delegation, answers(summary="Drafted by the delegate."), by=delegate
    )
    assert review.state == Review.State.DRAFT
    assert review.assignment == delegating.assignment
    comment_on_delegation(
        delegation, "Please expand the weaknesses.", by=delegating.reviewer
    )
    comment_on_delegation(delegation, "Done.", by=delegate)
    save_review(
        delegating.assignment,
        answers(summary="Drafted by the delegate."),
        by=delegating.reviewer,
        submit=True,
    )

    review.refresh_from_db()
    assert review.is_submitted
    assert review.answers["summary"] == "Drafted by the delegate."
    shown = author_reviews(delegating.submission)
    assert [r.pseudonym for r in shown] == ["Reviewer 1"]
    assert DELEGATE[0] not in repr(shown)
    # A submitted review is out of the delegate's hands.
    with pytest.raises(ValidationError, match="submitted"):
        save_delegated_draft(delegation, answers(), by=delegate)


def test_only_the_accepted_delegate_drafts(delegating):
    delegation, _ = accepted(delegating)
    for person in (delegating.reviewer, delegating.unassigned_reviewer):
        with pytest.raises(PermissionDenied):
            save_delegated_draft(delegation, answers(), by=person)
    with pytest.raises(PermissionDenied):
        comment_on_delegation(delegation, "Hi", by=delegating.unassigned_reviewer)


def test_a_withdrawn_delegation_closes_the_delegates_page(delegating, client):
    delegation, delegate = accepted(delegating)
    client.force_login(delegate)
    page = reverse("reviews:delegated", args=[1])
    assert client.get(page).status_code == 200

    withdraw_delegation(delegation, by=delegating.reviewer)

    assert client.get(page).status_code == 404
    with pytest.raises(PermissionDenied):
        save_delegated_draft(delegation, answers(), by=delegate)


# --- pages, per role ------------------------------------------------------------------
def test_the_delegate_sees_only_their_one_submission(delegating, client):
    _, delegate = accepted(delegating)
    client.force_login(delegate)

    page = client.get(reverse("reviews:delegated", args=[1]))

    assert page.status_code == 200
    assert "Sparse training of transformers on FPGAs" in page.text
    assert "Reviewer 1" in page.text
    assert delegating.reviewer.name not in page.text
    for name, args in [
        ("reviews:delegated", [2]),
        ("reviews:delegated-paper", [2]),
        ("reviews:submission", [1]),
        ("reviews:paper", [1]),
        ("reviews:dashboard", []),
        ("reviews:bidding", []),
        ("reviews:delegation", [1]),
        ("reviews:chair-delegations", []),
        ("reviews:chair-emergency", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_the_delegate_saves_a_draft_in_the_page_and_bad_input_keeps_it(
    delegating, client
):
    delegation, delegate = accepted(delegating)
    client.force_login(delegate)
    url = reverse("reviews:delegated", args=[1])

    bad = client.post(url, {"q_score": "99", "q_summary": "Kept text"})
    assert bad.status_code == 200
    assert "Kept text" in bad.text
    assert not Review.objects.exists()

    ok = client.post(url, {"q_score": "1", "q_summary": "Kept text"})
    assert ok.status_code == 302
    review = Review.objects.get()
    assert (review.score, review.answers["summary"]) == (1, "Kept text")
    delegation.refresh_from_db()
    assert delegation.drafted_at is not None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("author", 404),
        ("unassigned_reviewer", 404),
        ("conflicted_reviewer", 404),
        ("chair", 404),
        ("reviewer", 200),
    ],
)
def test_the_reviewers_delegation_page_per_role(delegating, login, persona, expected):
    response = login(delegating.user(persona)).get(
        reverse("reviews:delegation", args=[1])
    )
    assert response.status_code == expected


def test_the_reviewer_proposes_in_the_page_and_sees_the_refusal(delegating, login):
    client = login(delegating.reviewer)
    url = reverse("reviews:delegation", args=[1])
    assert (
        "Delegate this review"
        in client.get(reverse("reviews:submission", args=[1])).text
    )

    refused = client.post(
        url,
        {"action": "propose", "name": "Carl", "email": "c@quixotic-institute.example"},
    )
    assert refused.status_code == 200
    assert "Same institution domain" in refused.text
    assert "c@quixotic-institute.example" in refused.text  # nothing typed is lost

    client.post(url, {"action": "propose", "name": DELEGATE[0], "email": DELEGATE[1]})
    assert Delegation.objects.get().status == Delegation.Status.AWAITING_APPROVAL


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("author", 404),
        ("reviewer", 404),
        ("conflicted_reviewer", 404),
        ("chair", 200),
        ("conflicted_chair", 200),
    ],
)
def test_the_chairs_delegation_list_per_role(delegating, login, persona, expected):
    propose(delegating)
    response = login(delegating.user(persona)).get(reverse("reviews:chair-delegations"))
    assert response.status_code == expected
    if persona == "chair":
        assert DELEGATE[0] in response.text
        assert delegating.reviewer.name in response.text  # who wrote it: chairs only
    if persona == "conflicted_chair":
        assert DELEGATE[0] not in response.text


def test_a_chair_approves_in_the_page(delegating, login):
    delegation = propose(delegating)
    client = login(delegating.chair)
    client.post(
        reverse("reviews:chair-delegations"),
        {"delegation": delegation.pk, "action": "approve"},
    )
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.INVITED


def test_the_chairs_delegation_list_query_count_is_constant(
    delegating, login, make_reviewer
):
    client = login(delegating.chair)
    counts = []
    for n in range(3):
        reviewer = make_reviewer()
        submission = delegating.other_submission if n % 2 else delegating.submission
        assignment, _ = assign_reviewer(
            submission, reviewer, by=delegating.chair, notify=False
        )
        propose_delegation(
            assignment, name=f"D{n}", email=f"d{n}@lab{n}.example.net", by=reviewer
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reviews:chair-delegations"))
        assert response.status_code == 200
        assert len(response.context["delegations"]) == n + 1
        counts.append(len(queries))
    assert counts[0] == counts[-1]


def test_the_answer_link_sends_the_delegate_to_the_submission(delegating, client):
    ReviewSettings.objects.filter(conference=delegating.conference).update(
        delegation_needs_approval=False
    )
    delegation = propose(delegating)
    url = reverse("reviews:delegation-answer", args=[delegation.token])
    assert "Sign up" in client.get(url).text
    delegate = UserFactory(email="dora.other@student-lab.example.net")
    client.force_login(delegate)

    response = client.post(url, {"action": "accept"})

    assert response["Location"] == reverse("reviews:delegated", args=[1])
    assert client.get(response["Location"]).status_code == 200
    # Later, the same link is the delegate's way back.
    assert client.get(url)["Location"] == reverse("reviews:delegated", args=[1])


def test_who_wrote_the_review_is_shown_to_chairs_only(delegating, login):
    delegation, delegate = accepted(delegating)
    save_delegated_draft(delegation, answers(), by=delegate)
    save_review(delegating.assignment, answers(), by=delegating.reviewer, submit=True)
    second = UserFactory(email="s@second-lab.example.net", role="reviewer")
    second_assignment, _ = assign_reviewer(
        delegating.submission, second, by=delegating.chair, notify=False
    )
    save_review(second_assignment, answers(), by=second, submit=True)

    chair_page = login(delegating.chair).get(
        reverse("reviews:chair-submission", args=[1])
    )
    other_reviewer_page = login(second).get(reverse("reviews:submission", args=[1]))

    assert "Reviewer 1: written by Dora Student" in chair_page.text
    assert "Reviewer 1" in other_reviewer_page.text
    assert DELEGATE[0] not in other_reviewer_page.text
    assert DELEGATE[1] not in other_reviewer_page.text


def test_one_person_never_writes_two_reviews_of_a_submission(delegating):
    propose(delegating)
    second = UserFactory(email="s@second-lab.example.net", role="reviewer")
    second_assignment, _ = assign_reviewer(
        delegating.submission, second, by=delegating.chair, notify=False
    )

    with pytest.raises(ValidationError, match="Already writes another review"):
        propose_delegation(
            second_assignment, name="Dora", email=DELEGATE[1].upper(), by=second
        )


def test_the_reviewer_comments_and_withdraws_in_the_page(delegating, login):
    delegation, delegate = accepted(delegating)
    client = login(delegating.reviewer)
    url = reverse("reviews:delegation", args=[1])

    empty = client.post(url, {"action": "comment", "body": ""})
    assert empty.status_code == 200
    assert "This field is required" in empty.text
    client.post(url, {"action": "comment", "body": "Tighten the summary."})
    assert "Tighten the summary." in client.get(url).text
    login(delegate)
    assert (
        "Tighten the summary."
        in client.get(reverse("reviews:delegated", args=[1])).text
    )
    login(delegating.reviewer)

    client.post(url, {"action": "withdraw"})

    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.WITHDRAWN

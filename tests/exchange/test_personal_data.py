"""Download my data: every section filled for a person who is an author and a
reviewer at once, and never someone else's identity they may not see."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from api.tokens import create_token
from campaigns.models import Campaign
from decisions.models import Decision, MetaReview
from exchange.personal import personal_data
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.declared_conflicts import declare_conflict
from reviews.models import (
    AreaChairAssignment,
    Assignment,
    AuthorResponse,
    Bid,
    ConflictSource,
    Delegation,
    DelegationComment,
    DiscussionPost,
    Review,
)
from submissions.models import FieldAnswer, Submission, SubmissionField
from tests.factories import ReviewerFactory, ReviewFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2022, 6, 20, tzinfo=UTC)
THEIR_REVIEW = "canary-own-review: convincing ablations"
OTHERS_REVIEW = "canary-other-review: weak baselines"
POST = "canary-own-post: I agree with Reviewer 2"
HIDDEN_AUTHOR = ("Hildegard Hiddenauthor", "hilde@hidden-lab.example", "Hidden Lab")


@pytest.fixture
def person(conference, chair, frozen):
    """A reviewer who also authors a submission: reviewed by someone else, decided
    and released; they review, bid on, post about and declare a conflict with
    other people's submissions; mails were sent to them."""
    frozen(NOW)
    me = ReviewerFactory(name="Mia Both", affiliation="Both Uni")
    mine = SubmissionFactory(contact=me, title="My own submission")
    other_reviewer = ReviewerFactory(name="Otto Otherreviewer")
    assignment, _ = assign_reviewer(mine, other_reviewer, by=chair)
    ReviewFactory(assignment=assignment, score=2, summary=OTHERS_REVIEW)
    Decision.objects.create(
        submission=mine,
        outcome="accept_poster",
        set_by=chair,
        set_at=NOW,
        released_at=NOW,
    )
    theirs = SubmissionFactory(title="Someone else's", authors=[HIDDEN_AUTHOR])
    mine_to_review, _ = assign_reviewer(theirs, me, by=chair)
    ReviewFactory(assignment=mine_to_review, score=1, summary=THEIR_REVIEW)
    DiscussionPost.objects.create(submission=theirs, author=me, body=POST)
    DiscussionPost.objects.create(
        submission=theirs, author=other_reviewer, body="not mine"
    )
    third = SubmissionFactory(title="A third one", authors=[HIDDEN_AUTHOR])
    Bid.objects.create(
        submission=third, reviewer=me, value=Bid.Value.EAGER, updated_at=NOW
    )
    declare_conflict(
        third, me, source=ConflictSource.REVIEWER_DECLARED, reason="friend", by=me
    )
    OutboxMail.objects.create(
        recipient=me,
        to_email=me.email,
        template="assignment",
        subject="You review #2",
        body_text="Please review.",
        body_html="",
        status=OutboxMail.Status.SENT,
        dedupe_key="test:assignment",
    )
    return me


def test_every_section_holds_the_persons_own_data(person):
    document = personal_data(person)

    assert document["profile"]["name"] == "Mia Both"
    assert document["profile"]["roles"] == ["reviewers"]
    assert document["reviewer_profile"] is None or isinstance(
        document["reviewer_profile"], dict
    )
    [submission] = document["submissions"]
    assert submission["title"] == "My own submission"
    assert submission["decision"]["outcome"] == "accept_poster"
    [review] = document["reviews"]
    assert review["answers"]["summary"] == THEIR_REVIEW
    assert review["as"] == "Reviewer 1"
    assert [p["body"] for p in document["discussion_posts"]] == [POST]
    assert [b["value"] for b in document["bids"]] == ["eager"]
    assert [c["reason"] for c in document["conflicts"]] == ["friend"]
    assert [m["subject"] for m in document["mails"]] == ["You review #2"]


def test_no_identity_the_person_may_not_see(client, person):
    client.force_login(person)

    text = client.get(reverse("exchange:my-data")).content.decode()

    document = json.loads(text)
    assert document["profile"]["email"] == person.email
    # Not who reviewed their submission, nor what (the author page shows the
    # reviews, not this file), nor who wrote the submissions they review.
    for hidden in ("Otto Otherreviewer", OTHERS_REVIEW, "not mine", *HIDDEN_AUTHOR):
        assert hidden not in text


# --- the first round's roles (issue 16, 15, 18) -------------------------------------
RESPONSE = "canary-own-response: we added the ablation"
OWN_NOTE = "canary-own-note: I tightened section 3"
OTHERS_NOTE = "canary-delegator-note: not yours"
DRAFT = "canary-delegate-draft: solid but narrow"
META = "canary-own-meta: accept with minor changes"
META_NOTE = "canary-own-meta-note: for the chairs"
DELEGATOR = ("Vera Delegator", "vera@delegator.example")


@pytest.fixture
def roles(person, chair):
    """`person` also responded to their reviews, delegated their review of
    "Someone else's", wrote a draft as another reviewer's delegate, is the area
    chair of a fourth submission (meta-review written), composed a campaign, holds
    an API token and answered the chairs' fields on their submission."""
    me = person
    mine = Submission.objects.get(title="My own submission")
    AuthorResponse.objects.create(
        submission=mine, text=RESPONSE, state="submitted", written_by=me
    )
    my_assignment = Assignment.objects.get(reviewer=me)
    Delegation.objects.create(
        assignment=my_assignment,
        name="Dana Delegate",
        email="dana@delegate.example",
        status=Delegation.Status.INVITED,
    )
    fourth = SubmissionFactory(title="A fourth one", authors=[HIDDEN_AUTHOR])
    delegator = ReviewerFactory(name=DELEGATOR[0], email=DELEGATOR[1])
    theirs_assignment, _ = assign_reviewer(fourth, delegator, by=chair)
    delegation = Delegation.objects.create(
        assignment=theirs_assignment,
        name=me.name,
        email=me.email,
        status=Delegation.Status.ACCEPTED,
        delegate=me,
        answered_at=NOW,
        drafted_at=NOW,
    )
    Review.objects.create(
        assignment=theirs_assignment, answers={"summary": DRAFT}, state="draft"
    )
    DelegationComment.objects.create(delegation=delegation, author=me, body=OWN_NOTE)
    DelegationComment.objects.create(
        delegation=delegation, author=delegator, body=OTHERS_NOTE
    )
    fifth = SubmissionFactory(title="A fifth one", authors=[HIDDEN_AUTHOR])
    AreaChairAssignment.objects.create(submission=fifth, area_chair=me, created_at=NOW)
    MetaReview.objects.create(
        submission=fifth,
        to_authors=META,
        note_to_chairs=META_NOTE,
        written_by=me,
        written_at=NOW,
    )
    Campaign.objects.create(
        conference=mine.conference,
        recipients="authors",
        audience="authors",
        subject="Camera-ready soon",
        body="Dear {{ recipient.name }}",
        created_by=me,
    )
    Campaign.objects.create(
        conference=mine.conference,
        recipients="authors",
        audience="authors",
        subject="Someone else's campaign",
        body="x",
        created_by=chair,
    )
    _, key = create_token(me, name="my laptop", scope="reviewing")
    shown = SubmissionField.objects.create(
        conference=mine.conference,
        label="Student author?",
        slug="student",
        kind="yes_no",
    )
    archived = SubmissionField.objects.create(
        conference=mine.conference,
        label="Retired question",
        slug="retired",
        kind="short_text",
        archived_at=NOW,
    )
    FieldAnswer.objects.create(submission=mine, field=shown, value=True, text="yes")
    FieldAnswer.objects.create(
        submission=mine, field=archived, value="old", text="canary-archived"
    )
    return me, key


def test_the_first_rounds_roles_are_in_the_file(roles):
    me, _key = roles

    document = personal_data(me)

    assert [r["text"] for r in document["author_responses"]] == [RESPONSE]
    [proposed] = document["delegations_proposed"]
    assert (proposed["delegate_name"], proposed["status"]) == (
        "Dana Delegate",
        "invited",
    )
    assert proposed["submission"]["title"] == "Someone else's"
    [accepted] = document["delegations_accepted"]
    assert accepted["draft"]["answers"] == {"summary": DRAFT}
    assert accepted["for"] == "Reviewer 1"
    assert [n["body"] for n in document["delegation_notes"]] == [OWN_NOTE]
    [area] = document["area_chair_assignments"]
    assert area["submission"]["title"] == "A fifth one"
    [meta] = document["meta_reviews"]
    assert (meta["to_authors"], meta["note_to_chairs"]) == (META, META_NOTE)
    assert [c["subject"] for c in document["campaigns"]] == ["Camera-ready soon"]
    [token] = document["api_tokens"]
    assert (token["name"], token["scope"]) == ("my laptop", "reviewing")
    [submission] = document["submissions"]
    assert submission["fields"] == [
        {
            "field": "student",
            "label": "Student author?",
            "answer": "yes",
            "file_name": "",
        }
    ]


def test_the_roles_name_nobody_they_may_not_see(client, roles):
    me, key = roles
    client.force_login(me)

    text = client.get(reverse("exchange:my-data")).content.decode()

    for hidden in (
        *DELEGATOR,
        OTHERS_NOTE,
        *HIDDEN_AUTHOR,
        "Someone else's campaign",
        "canary-archived",
        key,
        "key_hash",
    ):
        assert hidden not in text

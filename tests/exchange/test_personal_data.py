"""Download my data: every section filled for a person who is an author and a
reviewer at once, and never someone else's identity they may not see."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from decisions.models import Decision
from exchange.personal import personal_data
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.declared_conflicts import declare_conflict
from reviews.models import Bid, ConflictSource, DiscussionPost
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

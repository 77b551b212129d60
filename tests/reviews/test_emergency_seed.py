"""Issue 16: the demo seed includes an emergency reviewer: invited (not answered)
at the review stage, accepted with a submitted review at later stages."""

from io import StringIO

import pytest
from django.core.management import call_command

from decisions.models import Decision
from decisions.seed import _outcome
from reviews.conflicts import is_conflicted
from reviews.models import Assignment, EmergencyInvitation, Review, ReviewSettings

pytestmark = pytest.mark.django_db


def seed(stage: str) -> str:
    out = StringIO()
    call_command(
        "seed_haet2022",
        stage=stage,
        papers=6,
        reviewers=12,
        reviews=True,
        stdout=out,
    )
    return out.getvalue()


def test_review_stage_has_one_pending_invitation_to_an_unconflicted_member():
    output = seed("review")

    invitation = EmergencyInvitation.objects.select_related(
        "submission", "reviewer"
    ).get()
    submission = invitation.submission
    assert invitation.status == EmergencyInvitation.Status.INVITED
    assert invitation.reviewer.email.startswith("reviewer")
    assert not is_conflicted(invitation.reviewer, submission)
    assert not Assignment.objects.filter(
        submission=submission, reviewer=invitation.reviewer
    ).exists()
    wanted = ReviewSettings.objects.get().reviewers_per_submission
    assert (
        Review.objects.submitted().filter(assignment__submission=submission).count()
        < wanted
    )
    # On the stage's clock, not the wall clock: before the demo's "now".
    assert invitation.created_at.year == 2022
    assert f"invited to #{submission.number}" in output
    # Idempotent.
    seed("review")
    assert EmergencyInvitation.objects.count() == 1


def test_decision_stage_has_an_accepted_emergency_review_and_same_decisions():
    output = seed("decision")

    invitation = EmergencyInvitation.objects.get()
    assert invitation.status == EmergencyInvitation.Status.ACCEPTED
    assignment = Assignment.objects.get(
        submission=invitation.submission, reviewer=invitation.reviewer
    )
    assert assignment.due_at == invitation.due_at
    review = Review.objects.get(assignment=assignment)
    assert review.is_submitted
    assert review.submitted_at.year == 2022
    assert f"as {assignment.pseudonym}" in output
    # The emergency review agrees with the others: the seeded decision is the
    # one the others alone would give.
    others = [
        r.score
        for r in Review.objects.submitted().filter(
            assignment__submission=invitation.submission
        )
        if r.pk != review.pk
    ]
    everyone = [*others, review.score]
    assert _outcome(sum(others) / len(others), None) == _outcome(
        sum(everyone) / len(everyone), None
    )
    decision = Decision.objects.get(submission=invitation.submission)
    if invitation.submission.contact.email != "author@haet.example":
        assert decision.outcome == _outcome(sum(everyone) / len(everyone), None)

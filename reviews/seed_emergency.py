"""The demo's emergency reviewer (issue 16), through `reviews.emergency`.

At the review stage, the submission shortest of reviews gets an emergency
invitation, not yet answered, to the pool member the chairs' page ranks first
(unconflicted, best affinity, lightest load). At later stages (with `--reviews`)
that person accepted and submitted a review: a score agreeing with the other
reviews (their rounded mean, which keeps the mean on the same side of any
threshold, so the decisions seeded on them stay as they were).

Deterministic and without random draws (the other seeds keep theirs); the
services act at the stage's instants, never the wall clock. Idempotent: an
existing emergency invitation is left alone.
"""

from datetime import datetime, timedelta
from typing import TextIO

from haet.clock import parse_instant
from haet.models import Conference, User
from haet.seed import STAGE_NOW
from reviews.models import EmergencyInvitation, Review, ReviewForm, ReviewQuestion
from reviews.queries import visible_to, with_review_stats
from submissions.models import Submission

Kind = ReviewQuestion.Kind
ANSWERS = {
    "summary": "An emergency review: a hardware-aware training method, measured on "
    "one accelerator.",
    "strengths": "The measurements are careful and the method is simple.",
    "weaknesses": "A second benchmark would make the claims more general.",
    "comments": "Thank you for a clear submission; please add the second benchmark.",
}


def agreeing_score(scores: list[int]) -> int:
    return max(-3, min(3, round(sum(scores) / len(scores)))) if scores else 0


def emergency_answers(conference: Conference, scores: list[int]) -> dict:
    """A complete review under the conference's form; no nominations."""
    answers: dict[str, object] = {}
    for question in ReviewForm.objects.for_conference(conference).questions.all():
        if question.kind == Kind.SCORE:
            answers[question.key] = agreeing_score(scores)
        elif question.kind == Kind.CONFIDENCE:
            answers[question.key] = 3
        elif question.kind == Kind.CHOICE and question.choices:
            answers[question.key] = question.choices[0][0]
        elif question.kind == Kind.NOMINATIONS:
            answers[question.key] = []
        else:
            answers[question.key] = ANSWERS.get(question.key, "Seen in an emergency.")
    return answers


def seed_emergency_reviewer(
    sender: object,
    *,
    conference: Conference,
    stage: str,
    reviews: bool,
    accounts: dict[str, User],
    stdout: TextIO,
    **_: object,
) -> None:
    """Receiver of haet.signals.seed_demo, after the demo reviews and before the
    decisions."""
    from reviews.emergency import (
        accept_emergency,
        candidates,
        invite_emergency_reviewer,
    )
    from reviews.reviewing import save_review

    chair = accounts.get("chair")
    later = stage in ("decision", "over")
    if chair is None or stage == "cfp" or (later and not reviews):
        return
    if EmergencyInvitation.objects.exists():
        return
    shortest = (
        with_review_stats(
            visible_to(
                Submission.objects.filter(
                    conference=conference, state=Submission.State.SUBMITTED
                ),
                chair,
            )
        )
        .select_related("conference")
        .order_by("review_count", "assignment_count", "number")
    )
    if later:  # a submission without reviews would change the decisions' draws
        shortest = shortest.filter(review_count__gte=1)
    for submission in shortest[:5]:
        ranked = candidates(submission, by=chair)
        if ranked:
            break
    else:
        stdout.write("Emergency reviewer: nobody to invite.")
        return
    reviewer = User.objects.get(pk=ranked[0].user_id)
    review_now = parse_instant(STAGE_NOW["review"])
    due_at = datetime(2022, 6, 10, 23, 59, tzinfo=conference.tzinfo)
    invitation = invite_emergency_reviewer(
        submission,
        reviewer,
        due_at=due_at,
        by=chair,
        at=review_now - timedelta(hours=2),
    )
    if not later:
        stdout.write(
            f"Emergency reviewer: {reviewer.email} invited to #{submission.number}."
        )
        return
    scores = [
        score
        for score in Review.objects.submitted()
        .filter(assignment__submission=submission)
        .values_list("score", flat=True)
        if score is not None
    ]
    assignment = accept_emergency(
        invitation, user=reviewer, at=review_now - timedelta(hours=1)
    )
    save_review(
        assignment,
        emergency_answers(conference, scores),
        by=reviewer,
        submit=True,
        at=review_now + timedelta(days=2),
    )
    stdout.write(
        f"Emergency reviewer: {reviewer.email} reviewed #{submission.number} "
        f"as {assignment.pseudonym}."
    )

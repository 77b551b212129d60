"""The demo's delegated review (issue 16): from the review stage on, one assigned
review is written by a delegate, `delegate@haet.example` (password as every demo
account), so the demo and the access matrix have the persona.

The account exists from the call for papers on. The delegation is recorded as
accepted (the conflict rules checked, `reviews.delegation.delegate_conflicts`);
at the review stage the delegate's draft, saved through the service, waits for
the reviewer; at later stages the reviewer has submitted it.
Idempotent: an existing delegation is left alone.
"""

from datetime import timedelta
from typing import TextIO

from allauth.account.models import EmailAddress

from haet.clock import parse_instant
from haet.models import Conference, User
from haet.seed import DEMO_PASSWORD, STAGE_NOW
from reviews.models import Assignment, Delegation

DELEGATE_EMAIL = "delegate@haet.example"
DELEGATE_NAME = "Dara Delegate"


def delegate_account() -> User:
    user = User.objects.filter(email=DELEGATE_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            DELEGATE_EMAIL, DEMO_PASSWORD, name=DELEGATE_NAME, affiliation=""
        )
        EmailAddress.objects.create(
            user=user, email=DELEGATE_EMAIL, verified=True, primary=True
        )
    return user


def seed_demo_delegation(
    sender: object,
    *,
    conference: Conference,
    stage: str,
    accounts: dict[str, User],
    stdout: TextIO,
    **_: object,
) -> None:
    """Receiver of haet.signals.seed_demo, after the demo reviews."""
    from reviews.delegation import delegate_conflicts, save_delegated_draft

    # The account exists at every stage (the access matrix's persona); before the
    # review stage it delegates nothing and sees nothing.
    delegate = delegate_account()
    if stage == "cfp" or Delegation.objects.exists():
        return
    reviewer = accounts.get("reviewer")
    reviewing = stage == "review"
    candidates = (
        Assignment.objects.filter(submission__conference=conference)
        .exclude(submission__state="withdrawn")
        .select_related("submission__conference", "reviewer", "review")
        .order_by("submission__number", "pseudonym_index")
    )
    # The demo reviewer's own assignment first, so their page shows the panel.
    ordered = sorted(
        candidates, key=lambda a: a.reviewer_id != getattr(reviewer, "pk", 0)
    )
    for assignment in ordered:
        review = getattr(assignment, "review", None)
        submitted = review is not None and review.is_submitted
        if submitted == reviewing:
            continue
        if delegate_conflicts(assignment.submission, email="", user=delegate):
            continue
        break
    else:
        stdout.write("Delegation: no assignment to delegate.")
        return
    # Written at the stage's own instants, never the wall clock (the demo's clock
    # is HAET_NOW, tests seed without freezing it).
    review_at = parse_instant(STAGE_NOW["review"])
    at = review_at - timedelta(days=5)
    delegation = Delegation.objects.create(
        assignment=assignment,
        name=DELEGATE_NAME,
        email=DELEGATE_EMAIL,
        status=Delegation.Status.ACCEPTED,
        delegate=delegate,
        decided_by=accounts.get("chair"),
        created_at=at,
        answered_at=at + timedelta(days=1),
        drafted_at=at + timedelta(days=2),
    )
    if reviewing:
        save_delegated_draft(
            delegation,
            {
                "summary": "Trains networks with a hardware-aware method (draft).",
                "strengths": "Careful measurements.",
            },
            by=delegate,
            at=review_at - timedelta(hours=1),
        )
    stdout.write(
        f"Delegation: {assignment.pseudonym} of #{assignment.submission.number} "
        f"is written by {DELEGATE_EMAIL}."
    )

"""The demo's delegated review (issue 16): from the review stage on, one assigned
review is written by a delegate, `delegate@haet.example` (password as every demo
account), so the demo and the access matrix have the persona.

The account exists from the call for papers on. The delegation is recorded as
accepted (the conflict rules checked, `reviews.delegation.delegate_conflicts`);
at the review stage the delegate's draft, saved through the service, waits for
the reviewer; at later stages the reviewer has submitted it.

At the review stage a second delegation, to a person without an account
(`AWAITING_NAME`), awaits the chairs' approval (the review settings ask for it):
the chairs' delegations page has one to approve or refuse, and each unconflicted
chair has the approval request in the outbox.
Idempotent: an existing delegation is left alone.
"""

from datetime import timedelta
from typing import TextIO

from allauth.account.models import EmailAddress

from haet.clock import parse_instant
from haet.models import Conference, User
from haet.seed import DEMO_PASSWORD, STAGE_NOW
from reviews.models import Assignment, Delegation, ReviewSettings

DELEGATE_EMAIL = "delegate@haet.example"
DELEGATE_NAME = "Dara Delegate"
AWAITING_EMAIL = "student@haet.example"
AWAITING_NAME = "Sasha Student"


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
    # The account exists at every stage (the access matrix's persona); before the
    # review stage it delegates nothing and sees nothing.
    delegate = delegate_account()
    if stage == "cfp":
        return
    # The accepted one first: it takes the demo reviewer's first assignment.
    if not Delegation.objects.exclude(email=AWAITING_EMAIL).exists():
        seed_accepted_delegation(
            conference, delegate, stage=stage, accounts=accounts, stdout=stdout
        )
    if (
        stage == "review"
        and not Delegation.objects.filter(email=AWAITING_EMAIL).exists()
    ):
        seed_awaiting_delegation(conference, accounts=accounts, stdout=stdout)


def candidate_assignments(
    conference: Conference, reviewer: User | None
) -> list[Assignment]:
    """Live submissions' assignments, the demo reviewer's first (so their page
    shows the panel), then by submission and pseudonym."""
    candidates = (
        Assignment.objects.filter(submission__conference=conference)
        .exclude(submission__state="withdrawn")
        .select_related("submission__conference", "reviewer", "review")
        .order_by("submission__number", "pseudonym_index")
    )
    return sorted(candidates, key=lambda a: a.reviewer_id != getattr(reviewer, "pk", 0))


def is_submitted(assignment: Assignment) -> bool:
    review = getattr(assignment, "review", None)
    return review is not None and review.is_submitted


def seed_accepted_delegation(
    conference: Conference,
    delegate: User,
    *,
    stage: str,
    accounts: dict[str, User],
    stdout: TextIO,
) -> None:
    """`delegate@haet.example` writes one review: a draft at the review stage,
    submitted by the reviewer at the later ones."""
    from reviews.delegation import delegate_conflicts, save_delegated_draft

    reviewing = stage == "review"
    for assignment in candidate_assignments(conference, accounts.get("reviewer")):
        if is_submitted(assignment) == reviewing:
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


def seed_awaiting_delegation(
    conference: Conference, *, accounts: dict[str, User], stdout: TextIO
) -> None:
    """At the review stage: a reviewer (the demo reviewer if they have another
    review to write) proposes `AWAITING_NAME`, who has no account; the chairs
    have not answered yet. The conflict rules run as for any proposal, and every
    unconflicted chair is asked, as `reviews.delegation.propose_delegation`
    does (not called: it reads the wall clock against the review deadline)."""
    from reviews.delegation import delegate_conflicts
    from reviews.delegation_mails import queue_approval_request

    found = ReviewSettings.objects.for_conference(conference)
    if not found.delegation_needs_approval:
        found.delegation_needs_approval = True
        found.save(update_fields=["delegation_needs_approval"])
    live = set(Delegation.objects.live().values_list("assignment_id", flat=True))
    for assignment in candidate_assignments(conference, accounts.get("reviewer")):
        if assignment.pk in live or is_submitted(assignment):
            continue
        if delegate_conflicts(
            assignment.submission, email=AWAITING_EMAIL, name=AWAITING_NAME
        ):
            continue
        break
    else:
        stdout.write("Delegation: no assignment to propose a delegate for.")
        return
    delegation = Delegation.objects.create(
        assignment=assignment,
        name=AWAITING_NAME,
        email=AWAITING_EMAIL,
        status=Delegation.Status.AWAITING_APPROVAL,
        created_at=parse_instant(STAGE_NOW["review"]) - timedelta(days=1),
    )
    asked = queue_approval_request(delegation)
    chairs = "1 chair" if asked == 1 else f"{asked} chairs"
    stdout.write(
        f"Delegation: {assignment.pseudonym} of #{assignment.submission.number} "
        f"proposed to {AWAITING_EMAIL}, awaiting approval ({chairs} asked)."
    )

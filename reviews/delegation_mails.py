"""The mails of delegation other than the delegate's invitation: the chairs are asked
to approve a proposal, and the delegating reviewer learns the chairs' answer.

Blind by construction: the context holds the submission's number and title, never
its authors (only `Submission.number` and `.title` are read). Mails to chairs name
the reviewer and the delegate (chairs see both on their delegations page); a chair
conflicted with the submission gets none, and every mail is linked to the
submission, so such a chair does not see it in the outbox either. Each is queued
in the caller's transaction under a dedupe key: a double click or a retry mails
once.
"""

from django.urls import reverse

from haet.models import User
from haet.outbox.reminders import chairs
from haet.outbox.services import queue_mail
from reviews.conflicts import is_conflicted
from reviews.models import Delegation


def unconflicted_chairs(submission_id: int) -> list[User]:
    """Every active chair who is not conflicted with the submission, by pk."""
    return [chair for chair in chairs() if not is_conflicted(chair, submission_id)]


def queue_approval_request(delegation: Delegation) -> int:
    """One mail per unconflicted chair: a delegation awaits approval, with a link
    to the chairs' delegations page. Returns how many were queued."""
    assignment = delegation.assignment
    submission = assignment.submission
    queued = 0
    for chair in unconflicted_chairs(submission.pk):
        mail = queue_mail(
            to=chair,
            template="delegation_approval_request",
            context={
                "recipient": chair,
                "number": submission.number,
                "title": submission.title,
                "pseudonym": assignment.pseudonym,
                "reviewer_name": assignment.reviewer.display_name,
                "delegate_name": delegation.name,
                "delegate_email": delegation.email,
                "path": reverse("reviews:chair-delegations"),
                "conference": submission.conference,
            },
            dedupe_key=f"delegation_approval_request:{delegation.pk}:{chair.pk}",
            submissions=[submission],
        )
        queued += mail is not None
    return queued


def queue_answer_to_reviewer(delegation: Delegation, *, reason: str = "") -> None:
    """The delegating reviewer learns that the chairs approved (the delegate is
    invited) or refused (with the chair's reason, if given) their delegation."""
    assignment = delegation.assignment
    submission = assignment.submission
    is_approved = delegation.status == Delegation.Status.INVITED
    template = "delegation_approved" if is_approved else "delegation_refused"
    queue_mail(
        to=assignment.reviewer,
        template=template,
        context={
            "recipient": assignment.reviewer,
            "number": submission.number,
            "title": submission.title,
            "delegate_name": delegation.name,
            "reason": reason.strip(),
            "path": reverse("reviews:submission", args=[submission.number]),
            "conference": submission.conference,
        },
        dedupe_key=f"{template}:{delegation.pk}",
        submissions=[submission],
    )

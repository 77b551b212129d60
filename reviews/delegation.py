"""Writes of delegation: an assigned reviewer hands the writing of their review to a
delegate (a sub-reviewer), chairs approve it when the review settings say so, the
delegate accepts, drafts, and the delegating reviewer submits.

The conflict rules (`reviews.conflicts`, the one answer) run on the proposed person
BEFORE anything is shared: by their account if they have one, else by their email
and name (a person without an account is checked as the account they would get, in
a savepoint that is rolled back). They run again on the account that accepts.

The review is the assignment's `Review`, under the assignment's pseudonym: authors
and the other reviewers read "Reviewer 2" whoever drafted it; chairs read who did on
their delegations page. Mails go through the outbox, each with a dedupe key.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import User
from haet.outbox.services import queue_mail
from haet.rules import is_chair
from reviews import conflicts
from reviews.conflicts import refuse_if_hidden
from reviews.delegation_mails import queue_answer_to_reviewer, queue_approval_request
from reviews.models import (
    Assignment,
    Delegation,
    DelegationComment,
    Review,
    ReviewForm,
    ReviewSettings,
)
from reviews.reviewing import (
    active_questions,
    apply_answers,
    clean_answers,
    ensure_review_open,
    review_closes_at,
    set_nominations,
)
from submissions.models import Submission

MAX_COMMENT_LENGTH = 5_000


# --- the conflict check, before anything is shared ----------------------------------
def delegate_conflicts(
    submission: Submission,
    *,
    email: str,
    name: str = "",
    user: User | None = None,
    ignore: Delegation | None = None,
) -> list[str]:
    """Why this person may not review the submission ("" list: they may).

    `user` given: that account. Otherwise the account with this email, or, when
    there is none, a provisional one (rolled back) so the same rules judge it.
    A person already delegated another review of it (`ignore`: the delegation
    being judged) would write two: refused too."""
    reasons: list[str] = []
    person = user or User.objects.filter(email__iexact=email.strip()).first()
    others = Delegation.objects.live().filter(assignment__submission=submission)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    same = Q(email__iexact=email.strip()) if email.strip() else Q(pk__in=[])
    if person is not None:
        same |= Q(delegate=person) | Q(email__iexact=person.email)
    if others.filter(same).exists():
        reasons.append("Already writes another review of this submission")
    if person is not None:
        found = conflicts.conflict_reasons(person, submission)
        if any(
            a.reviewer_id == person.pk
            for a in Assignment.objects.filter(submission=submission)
        ):
            reasons.append("Already reviews this submission")
    else:
        with transaction.atomic():
            provisional = User.objects.create(email=email.strip().lower(), name=name)
            found = conflicts.conflict_reasons(provisional, submission)
            transaction.set_rollback(True)
    reasons += [f"{r.label}: {r.reason}" for r in found if not r.is_waived]
    return reasons


def _refuse_conflicted(submission: Submission, reasons: list[str]) -> None:
    if reasons:
        raise ValidationError(
            "This person cannot review this submission, nothing was shared: "
            + "; ".join(reasons)
            + "."
        )


# --- mails ---------------------------------------------------------------------------
def delegation_url(delegation: Delegation) -> str:
    return reverse("reviews:delegation-answer", args=[delegation.token])


def _queue_invitation(delegation: Delegation) -> None:
    """The invitation to the delegate: the submission's number and title and the
    due date, never its authors, never the delegating reviewer's name."""
    assignment = delegation.assignment
    submission = assignment.submission
    conference = submission.conference
    closes_at = review_closes_at(assignment, conference=conference)
    queue_mail(
        to=delegation.email,
        template="delegation_invitation",
        sensitive=True,  # the link opens the submission to whoever holds it
        context={
            "name": delegation.name,
            "number": submission.number,
            "title": submission.title,
            "deadline_text": describe_deadline(closes_at, conference)
            if closes_at
            else "",
            "url": delegation_url(delegation),
            "conference": conference,
        },
        dedupe_key=f"delegation_invitation:{delegation.pk}",
        submissions=[submission],
    )


# --- the reviewer proposes, the chairs decide -----------------------------------------
@transaction.atomic
def propose_delegation(
    assignment: Assignment, *, name: str, email: str, by: User
) -> Delegation:
    """The assigned reviewer proposes a delegate for their review.

    Refuses (PermissionDenied) anyone but the assigned, unconflicted reviewer of a
    live submission; refuses (ValidationError, with the reason) a bad address, a
    review already submitted, a delegation already under way, a conflicted person.
    Side effects: the Delegation row; the invitation mail when the chairs do not
    approve delegations, else a mail to each unconflicted chair asking for it."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("submission__conference", "reviewer")
        .get(pk=assignment.pk)
    )
    submission = assignment.submission
    if by.pk != assignment.reviewer_id or not by.has_perm(
        "reviews.write_review", submission
    ):
        raise PermissionDenied("Only the assigned reviewer delegates this review.")
    name, email = " ".join(name.split()), email.strip().lower()
    if not name:
        raise ValidationError("Give the delegate's name.")
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(f"“{email}” is not an email address.") from error
    if email == by.email.lower():
        raise ValidationError("You cannot delegate to yourself.")
    if Review.objects.filter(assignment=assignment, state="submitted").exists():
        raise ValidationError("Your review is submitted: there is nothing to delegate.")
    if Delegation.objects.live().filter(assignment=assignment).exists():
        raise ValidationError(
            "This review is already delegated: withdraw that delegation first."
        )
    ensure_review_open(assignment, conference=submission.conference, at=clock.now())
    _refuse_conflicted(
        submission, delegate_conflicts(submission, email=email, name=name)
    )
    needs_approval = ReviewSettings.objects.for_conference(
        submission.conference
    ).delegation_needs_approval
    delegation = Delegation.objects.create(
        assignment=assignment,
        name=name,
        email=email,
        status=Delegation.Status.AWAITING_APPROVAL
        if needs_approval
        else Delegation.Status.INVITED,
        created_at=clock.now(),
    )
    if needs_approval:
        queue_approval_request(delegation)
    else:
        _queue_invitation(delegation)
    return delegation


def _locked(delegation: Delegation) -> Delegation:
    return (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("assignment__submission__conference", "assignment__reviewer")
        .get(pk=delegation.pk)
    )


@transaction.atomic
def approve_delegation(delegation: Delegation, *, by: User) -> Delegation:
    """A chair approves; the conflict rules run again (things change).
    Side effects: status "invited", the invitation mail, a mail telling the
    delegating reviewer."""
    delegation = _locked(delegation)
    submission = delegation.assignment.submission
    if not is_chair(by):
        raise PermissionDenied("Only chairs approve delegations.")
    refuse_if_hidden(submission, by=by)
    if delegation.status != Delegation.Status.AWAITING_APPROVAL:
        raise ValidationError("This delegation is not awaiting approval.")
    _refuse_conflicted(
        submission,
        delegate_conflicts(
            submission,
            email=delegation.email,
            name=delegation.name,
            ignore=delegation,
        ),
    )
    delegation.status = Delegation.Status.INVITED
    delegation.decided_by = by
    delegation.save(update_fields=["status", "decided_by"])
    _queue_invitation(delegation)
    queue_answer_to_reviewer(delegation)
    return delegation


@transaction.atomic
def refuse_delegation(
    delegation: Delegation, *, by: User, reason: str = ""
) -> Delegation:
    """A chair refuses: the reviewer writes the review themselves.
    Side effects: status "refused"; a mail telling the delegating reviewer, with
    `reason` when the chair gave one (it is not stored elsewhere)."""
    delegation = _locked(delegation)
    if not is_chair(by):
        raise PermissionDenied("Only chairs refuse delegations.")
    refuse_if_hidden(delegation.assignment.submission, by=by)
    if delegation.status != Delegation.Status.AWAITING_APPROVAL:
        raise ValidationError("This delegation is not awaiting approval.")
    if len(reason.strip()) > MAX_COMMENT_LENGTH:
        raise ValidationError(f"A reason has at most {MAX_COMMENT_LENGTH} characters.")
    delegation.status = Delegation.Status.REFUSED
    delegation.decided_by = by
    delegation.answered_at = clock.now()
    delegation.save(update_fields=["status", "decided_by", "answered_at"])
    queue_answer_to_reviewer(delegation, reason=reason)
    return delegation


@transaction.atomic
def withdraw_delegation(delegation: Delegation, *, by: User) -> Delegation:
    """The delegating reviewer takes the review back; the draft stays theirs."""
    delegation = _locked(delegation)
    if by.pk != delegation.assignment.reviewer_id:
        raise PermissionDenied("Only the delegating reviewer withdraws it.")
    if not delegation.is_live:
        raise ValidationError("This delegation has ended already.")
    delegation.status = Delegation.Status.WITHDRAWN
    delegation.answered_at = clock.now()
    delegation.save(update_fields=["status", "answered_at"])
    return delegation


# --- the delegate answers -------------------------------------------------------------
@transaction.atomic
def accept_delegation(delegation: Delegation, *, user: User) -> Delegation:
    """The signed-in delegate accepts (the link is the proof; they may use another
    address). The conflict rules run on that account. Idempotent for the account
    that accepted. Side effects: status "accepted", the delegate's name."""
    delegation = _locked(delegation)
    if delegation.status == Delegation.Status.ACCEPTED:
        if delegation.delegate_id != user.pk:
            raise ValidationError("This invitation was accepted by another account.")
        return delegation
    if delegation.status != Delegation.Status.INVITED:
        raise ValidationError("This invitation is no longer open.")
    submission = delegation.assignment.submission
    if user.pk == delegation.assignment.reviewer_id:
        raise ValidationError("You cannot be your own delegate.")
    _refuse_conflicted(
        submission,
        delegate_conflicts(submission, email="", user=user, ignore=delegation),
    )
    delegation.status = Delegation.Status.ACCEPTED
    delegation.delegate = user
    delegation.answered_at = clock.now()
    delegation.save(update_fields=["status", "delegate", "answered_at"])
    if not user.name and delegation.name:
        user.name = delegation.name
        user.save(update_fields=["name"])
    return delegation


@transaction.atomic
def decline_delegation(delegation: Delegation) -> Delegation:
    """No thanks: the review stays with the reviewer."""
    delegation = _locked(delegation)
    if delegation.status != Delegation.Status.INVITED:
        raise ValidationError("This invitation is no longer open.")
    delegation.status = Delegation.Status.DECLINED
    delegation.answered_at = clock.now()
    delegation.save(update_fields=["status", "answered_at"])
    return delegation


# --- the draft and the notes ----------------------------------------------------------
@transaction.atomic
def save_delegated_draft(
    delegation: Delegation, answers: dict, *, by: User, at: datetime | None = None
) -> Review:
    """The delegate saves the review as a draft (only the delegating reviewer
    submits it). Refuses (PermissionDenied) anyone but the accepted delegate of a
    live, unconflicted review; (ValidationError) a submitted review, a bad answer,
    the deadline passed. Side effects: the Review row (answers, score and confidence
    copies), its nominations, the delegation's `drafted_at`."""
    at = at or clock.now()
    delegation = _locked(delegation)
    assignment = delegation.assignment
    submission = assignment.submission
    if (
        delegation.status != Delegation.Status.ACCEPTED
        or delegation.delegate_id != by.pk
        or not by.has_perm("reviews.write_delegated_review", submission)
    ):
        raise PermissionDenied("This review cannot proceed.")
    ensure_review_open(assignment, conference=submission.conference, at=at)
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is not None and review.is_submitted:
        raise ValidationError(
            "The reviewer has submitted this review: it can no longer be changed here."
        )
    conference = submission.conference
    questions = active_questions(ReviewForm.objects.for_conference(conference))
    award_ids = set(conference.award_categories.values_list("pk", flat=True))
    cleaned = clean_answers(questions, answers, award_ids=award_ids, complete=False)
    review = review or Review(assignment=assignment)
    nominated = apply_answers(review, questions, cleaned)
    review.save()
    set_nominations(review, nominated)
    delegation.drafted_at = at
    delegation.save(update_fields=["drafted_at"])
    return review


@transaction.atomic
def comment_on_delegation(
    delegation: Delegation, body: str, *, by: User
) -> DelegationComment:
    """The delegating reviewer or the accepted delegate writes a note on the draft.
    Refuses (PermissionDenied) anyone else or a conflicted one; an empty or too
    long note is a ValidationError. Side effects: the comment row."""
    body = body.strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(f"A note has at most {MAX_COMMENT_LENGTH} characters.")
    submission = delegation.assignment.submission
    is_reviewer_side = by.pk == delegation.assignment.reviewer_id and by.has_perm(
        "reviews.write_review", submission
    )
    is_delegate_side = (
        delegation.status == Delegation.Status.ACCEPTED
        and by.pk == delegation.delegate_id
        and by.has_perm("reviews.write_delegated_review", submission)
    )
    if not (is_reviewer_side or is_delegate_side) or not delegation.is_live:
        raise PermissionDenied("You cannot comment on this review.")
    return DelegationComment.objects.create(
        delegation=delegation, author=by, body=body, created_at=clock.now()
    )

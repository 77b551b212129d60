"""Carry out the reviews of an import plan (`review_plan`): each becomes the
member's assignment (no assignment mail: the review is written) and a submitted
review with the mapped answers; one a sub-reviewer wrote for the member
(EasyChair) also gets the delegation that says so, as a delegate's review
written here would (chairs see who wrote it; it opens nothing to anyone).
Members without an account get one without a password, the reviewer role
through an accepted invitation, and one mail that says how to sign in ("Forgot
password"); a member with an account keeps it, and gets the reviewer role if
they lacked it. Idempotent: an assignment that already has a review is left
alone."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.urls import reverse

from exchange.imports.records import ImportedReview
from exchange.imports.review_plan import CREATE, ReviewStep
from exchange.models import ImportedSubmission
from haet import clock
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from haet.rules import is_reviewer
from haet.services import set_role
from haet.wording import counted
from reviews.assigning import assign_reviewer
from reviews.models import Assignment, Delegation, Invitation, Review, ReviewForm
from reviews.pool import accept_invitation
from reviews.reviewing import active_questions, apply_answers
from submissions.models import Submission


@dataclass
class ReviewResult:
    created: int = 0
    delegated: int = 0  # of those, written by a sub-reviewer
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # why, one a review
    invited: list[str] = field(default_factory=list)  # new accounts mailed

    def summary(self) -> str:
        by_others = (
            f" ({self.delegated} by "
            f"{'a sub-reviewer' if self.delegated == 1 else 'sub-reviewers'}, "
            f"recorded as {'a delegation' if self.delegated == 1 else 'delegations'})"
            if self.delegated
            else ""
        )
        return (
            f"Reviews: {self.created} created{by_others}, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped; {counted(len(self.invited), 'reviewer')} "
            "told how to sign in."
        )


def _account(step: ReviewStep, *, by: User, new: set[str]) -> User:
    review = step.review
    user: User | None = User.objects.filter(
        pk__in=User.objects.annotate(address=Lower("email"))
        .filter(address=review.email)
        .values("pk")
    ).first()
    if user is None:
        user = User.objects.create_user(review.email, password=None, name=review.name)
        new.add(review.email)
    invitation = Invitation.objects.filter(email=review.email).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            email=review.email, name=review.name, invited_by=by, sent_at=clock.now()
        )
        accept_invitation(invitation, user=user)  # the role and a profile
    elif not is_reviewer(user):
        set_role(user, "reviewer", granted=True)
    return user


def _delegation(
    assignment: Assignment, imported: ImportedReview, written_at: datetime
) -> bool:
    """The delegation of a review a sub-reviewer wrote for the member: accepted
    and drafted when the review was written, with the sub-reviewer's name and
    email but no account, so it gives nobody access to anything (the review is
    submitted already). Not when the assignment has a live delegation here."""
    if not imported.sub_reviewer or assignment.delegations.live().exists():
        return False
    Delegation.objects.create(
        assignment=assignment,
        name=imported.sub_reviewer[:200],
        email=imported.sub_reviewer_email,
        status=Delegation.Status.ACCEPTED,
        created_at=written_at,
        answered_at=written_at,
        drafted_at=written_at,
    )
    return True


def apply_reviews(
    steps: list[ReviewStep], *, source: str, conference: Conference, by: User
) -> ReviewResult:
    """Runs inside `applying.apply_plan`'s transaction, after the submissions.
    Side effects: accounts, invitations (accepted), assignments, reviews, one
    mail per new account."""
    result = ReviewResult()
    todo = [s for s in steps if s.action == CREATE]
    result.unchanged = sum(1 for s in steps if s.action == "unchanged")
    result.skipped = [
        f"{s.review.source_id}: {' '.join(s.reasons)}"
        for s in steps
        if s.action == "skip"
    ]
    if not todo:
        return result
    by_source = {
        row.source_id: row.submission
        for row in ImportedSubmission.objects.filter(
            source=source, source_id__in={s.review.submission_id for s in todo}
        ).select_related("submission")
    }
    questions = active_questions(ReviewForm.objects.for_conference(conference))
    new_accounts: set[str] = set()
    written: dict[str, list[tuple[User, Submission, str]]] = defaultdict(list)
    for step in todo:
        submission = by_source.get(step.review.submission_id)
        if submission is None:
            result.skipped.append(f"{step.review.source_id}: the submission is gone.")
            continue
        reviewer = _account(step, by=by, new=new_accounts)
        try:
            assignment, _ = assign_reviewer(submission, reviewer, by=by, notify=False)
        except (ValidationError, PermissionDenied) as refused:
            result.skipped.append(f"{step.review.source_id}: {refused}")
            continue
        if Review.objects.filter(assignment=assignment).exists():
            result.unchanged += 1
            continue
        review = Review(assignment=assignment)
        apply_answers(review, questions, step.answers)
        review.state = Review.State.SUBMITTED
        review.submitted_at = step.written_at or clock.now()
        review.save()
        result.created += 1
        result.delegated += _delegation(assignment, step.review, review.submitted_at)
        written[reviewer.email].append((reviewer, submission, assignment.pseudonym))
    for email in sorted(new_accounts & set(written)):
        rows = written[email]
        mail = queue_mail(
            to=rows[0][0],
            template="exchange_review_import",
            context={
                "name": rows[0][0].name,
                "email": email,
                "source": dict(ImportedSubmission.Source.choices)[source],
                "items": [f"#{s.number} {s.title} (as {p})" for _, s, p in rows],
                "path": reverse("account_reset_password"),
            },
            dedupe_key=f"import-reviewer:{source}:{email}",
            submissions=[s for _, s, _ in rows],
        )
        if mail is not None:
            result.invited.append(email)
    return result

"""One submission's decision mail, edited by a chair before the release (issue 14
item 14): the text the release preview showed, changed and stored on the Decision,
is what the release sends to that submission's authors instead of the outcome's
template. It is plain text, written once for all of the submission's authors, so
it may hold no {{ placeholder }}. A change of the decision clears it
(decisions.deciding); after the release it can no longer change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from decisions.mail_templates import PLACEHOLDER_RE
from decisions.models import Decision
from haet.models import User
from submissions.models import Submission


def _locked_unreleased(submission: Submission, by: User) -> Decision:
    decision = (
        Decision.objects.select_for_update().filter(submission=submission).first()
    )
    submission.decision = decision  # for the predicate
    if not by.has_perm("decisions.decide", submission):
        raise PermissionDenied
    if decision is None:
        raise ValidationError("This submission has no decision yet: nothing to mail.")
    if decision.released_at is not None:
        raise ValidationError(
            "This decision was already sent: its mail can no longer change."
        )
    return decision


@transaction.atomic
def edit_decision_mail(
    submission: Submission, *, subject: str, body: str, by: User
) -> Decision:
    """Store the chair's subject and body for this submission's decision mail.
    Refuses an empty text and any {{ placeholder }} (the text is sent as written).
    Side effects: none until the release sends it."""
    decision = _locked_unreleased(submission, by)
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise ValidationError("Give both a subject and a text.")
    left = sorted({m for m in PLACEHOLDER_RE.findall(f"{subject}\n{body}")})
    if left:
        names = ", ".join("{{ %s }}" % name for name in left)  # noqa: UP031
        raise ValidationError(
            f"This mail is sent as written: replace {names} with the words to send."
        )
    decision.mail_subject, decision.mail_body = subject[:300], body
    decision.mail_edited_by = by
    decision.save(
        update_fields=["mail_subject", "mail_body", "mail_edited_by", "updated_at"]
    )
    return decision


@transaction.atomic
def restore_decision_mail(submission: Submission, *, by: User) -> Decision:
    """Back to the outcome's template for this submission."""
    decision = _locked_unreleased(submission, by)
    decision.mail_subject = decision.mail_body = ""
    decision.mail_edited_by = None
    decision.save(
        update_fields=["mail_subject", "mail_body", "mail_edited_by", "updated_at"]
    )
    return decision

"""The mail telling the authors that a meta-review they can already read changed.

Sent by `decisions.meta_reviews.save_meta_review` when the text to the authors of
a meta-review changes while the decision is released (authors read it then): one
mail to each author of the submission, as the release mail goes (`recipients_of`:
a chair or area chair who is an author gets it as any author does). The text is
the chairs' template `META_REVIEW_EDITED` (decisions.mail_templates), filled like
a decision mail: never the name of who wrote or changed the meta-review.

Dedupe key `meta-review-updated:<submission pk>:<email>:<revision>`: each change
of the text is a new revision and mails again; the same change saved twice (a
double submit, a retry) is no change and mails nothing.
"""

from decisions.mail_templates import fill, mail_templates
from decisions.models import META_REVIEW_EDITED, MetaReview
from decisions.notification import placeholder_values, recipients_of
from decisions.rules import decision_of
from haet.models import Conference
from haet.outbox.services import queue_mail
from submissions.models import Submission


def queue_meta_review_updated(meta_review: MetaReview) -> int:
    """Queue the update mail to each author if the decision is released (else
    nothing: the release mail will carry the text). In the caller's transaction.
    Returns how many mails were queued."""
    submission = Submission.objects.select_related("decision").get(
        pk=meta_review.submission_id
    )
    decision = decision_of(submission)
    if decision is None or decision.released_at is None:
        return 0
    conference = Conference.objects.get(pk=submission.conference_id)
    submission.conference = conference
    template = mail_templates(conference)[META_REVIEW_EDITED]
    values = placeholder_values(submission, decision, conference=conference)
    queued = 0
    for recipient in recipients_of(submission):
        personal = {**values, "author_name": recipient.name or recipient.email}
        mail = queue_mail(
            to=recipient.to,
            template="meta_review_updated",
            context={
                "subject": " ".join(fill(template.subject, personal).split()),
                "body": fill(template.body, personal),
            },
            dedupe_key=f"meta-review-updated:{submission.pk}:{recipient.email}:"
            f"{meta_review.revision}",
            submissions=[submission],
        )
        queued += mail is not None
    return queued

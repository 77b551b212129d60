"""What the authors are told: the recipients of a submission's mails, the reviews
as authors see them, and the decision mail rendered per recipient. Recipients
always come from the submission's own Author rows, read in the same transaction
as the mail rows.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from decisions.mail_templates import PLACEHOLDER_RE, fill, mail_templates
from decisions.models import Decision, DecisionLog, DecisionMailTemplate, MetaReview
from haet.deadlines import describe_deadline
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from reviews.for_authors import AuthorReview, author_reviews
from submissions.models import Author, Submission


def camera_ready_deadline(conference: Conference) -> datetime | None:
    """The conference's camera-ready deadline (the decision mail names it)."""
    date = conference.date("camera_ready")
    return None if date is None else date.closes_at


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    user: User | None

    @property
    def to(self) -> User | str:
        return self.user or self.email


def recipients_of(submission: Submission) -> list[Recipient]:
    """Every author of the submission (and its contact), once each by email, read
    from its own rows now: never from any list built elsewhere."""
    found: dict[str, Recipient] = {}
    for author in (
        Author.objects.filter(submission_id=submission.pk)
        .select_related("user")
        .order_by("order", "pk")
    ):
        email = author.email.strip().lower()
        found.setdefault(email, Recipient(author.name, email, author.user))
    contact = User.objects.get(pk=submission.contact_id)
    email = contact.email.strip().lower()
    found.setdefault(email, Recipient(contact.display_name, email, contact))
    return list(found.values())


# What a placeholder says when there is nothing to fill it with: the release
# summary counts these as not filled.
NO_REVIEWS = "(No reviews.)"
NO_DEADLINE = "the camera-ready deadline"
FALLBACKS = {"reviews": NO_REVIEWS, "camera_ready_deadline": NO_DEADLINE}


def meta_review_text(submission: Submission) -> str:
    """`{{ meta_review }}`: the meta-review to the authors, headed like a review;
    "" when there is none."""
    text = MetaReview.objects.text_for_authors(submission.pk)
    return f"--- Meta-review ---\n{text}" if text else ""


def _without_empty_meta_review(body: str, values: dict[str, str]) -> str:
    """An empty `{{ meta_review }}` leaves no blank paragraph behind."""
    if values.get("meta_review"):
        return body
    return re.sub(r"\n{3,}", "\n\n", body)


def reviews_text(reviews: list[AuthorReview]) -> str:
    if not reviews:
        return NO_REVIEWS
    parts = []
    for review in reviews:
        lines = [f"--- {review.pseudonym} ---"]
        for label, text in review.answers:
            if "\n" in text or len(text) > 60:
                lines.append(f"{label}:\n{text}")
            else:
                lines.append(f"{label}: {text}")
        parts.append("\n\n".join(lines))
    return "\n\n".join(parts)


@dataclass
class DecisionMail:
    """One decision mail, rendered: what the preview shows and the outbox sends."""

    submission_pk: int
    number: int
    outcome: str
    recipient: Recipient
    subject: str
    body: str
    dedupe_key: str = ""
    # The placeholder values it was filled with (the release summary checks them).
    values: dict[str, str] = field(default_factory=dict)
    # A chair's own text for this submission (decisions.mail_override), not the
    # outcome's template.
    edited: bool = False
    # The placeholders its text (the template, or the chair's own) uses, each
    # once: the release summary checks these, and what the text leaves out.
    uses: tuple[str, ...] = ()


def placeholder_values(
    submission: Submission, decision: Decision, *, conference: Conference
) -> dict[str, str]:
    """Every placeholder's value but the recipient's `author_name` (no writes)."""
    from django.conf import settings

    deadline = camera_ready_deadline(conference)
    return {
        "title": submission.title,
        "number": str(submission.number),
        "conference": conference.acronym,
        "decision": decision.get_outcome_display(),
        "reason": decision.reason,
        "reviews": reviews_text(author_reviews(submission)),
        "meta_review": meta_review_text(submission),
        "camera_ready_deadline": describe_deadline(deadline, conference)
        if deadline
        else NO_DEADLINE,
        "url": settings.SITE_URL
        + reverse("decisions:author-view", args=[submission.number]),
    }


def render_decision_mails(
    submission: Submission,
    decision: Decision,
    *,
    templates: dict[str, DecisionMailTemplate],
    conference: Conference,
) -> list[DecisionMail]:
    """The decision mail for each recipient (no writes)."""
    template = templates[decision.outcome]
    values = placeholder_values(submission, decision, conference=conference)
    edited = decision.has_edited_mail
    mails = []
    for recipient in recipients_of(submission):
        personal = {**values, "author_name": recipient.name or recipient.email}
        subject = decision.mail_subject if edited else template.subject
        body = decision.mail_body if edited else template.body
        mails.append(
            DecisionMail(
                submission_pk=submission.pk,
                number=submission.number,
                outcome=decision.outcome,
                recipient=recipient,
                subject=" ".join(fill(subject, personal).split())[:300],
                body=_without_empty_meta_review(fill(body, personal), personal),
                values=personal,
                edited=edited,
                uses=tuple(dict.fromkeys(PLACEHOLDER_RE.findall(subject + body))),
            )
        )
    return mails


def send_correction(
    submission: Submission, decision: Decision, *, log: DecisionLog
) -> int:
    conference = Conference.objects.get(pk=submission.conference_id)
    submission.conference = conference
    templates = mail_templates(conference)
    sent = 0
    for mail in render_decision_mails(
        submission, decision, templates=templates, conference=conference
    ):
        queued = queue_mail(
            to=mail.recipient.to,
            template="decision_correction",
            context={
                "subject": f"Correction: {mail.subject}",
                "body": mail.body,
                "number": submission.number,
                "title": submission.title,
                "author_name": mail.recipient.name or mail.recipient.email,
            },
            dedupe_key=f"decision-correction:{submission.pk}:{mail.recipient.email}:"
            f"{log.pk}",
            submissions=[submission],
        )
        sent += queued is not None
    return sent

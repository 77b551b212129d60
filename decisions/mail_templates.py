"""The chairs' decision mails: one template per outcome, and one for the mail
telling the authors that a released meta-review changed (`META_REVIEW_EDITED`,
decisions.meta_review_mails), with {{ placeholders }} filled per recipient
(`fill`); unknown placeholders are refused on save."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions.models import META_REVIEW_EDITED, DecisionMailTemplate, Outcome
from haet.models import Conference, User

PLACEHOLDERS = {
    "author_name": "The recipient's name as listed on the submission",
    "title": "The submission's title",
    "number": "The paper number",
    "conference": "The conference's acronym, e.g. HAET 2022",
    "decision": "The decision in words, e.g. Accept (poster)",
    "reason": "The chairs' reason (desk rejects)",
    "meta_review": "The meta-review to the authors (blank when there is none)",
    "reviews": "The reviewers' comments to the authors, signed Reviewer 1, 2…",
    "camera_ready_deadline": "The camera-ready deadline",
    "url": "The page where the authors read the decision and reviews",
}
# Dotted and hyphenated names too ({{ submission.title }}, {{ field.first-author }}):
# the campaign composer (campaigns.placeholders) fills and checks with this engine.
PLACEHOLDER_RE = re.compile(r"\{\{\s*(\w[\w.-]*)\s*\}\}")

DEFAULT_TEMPLATES = {
    Outcome.ACCEPT_ORAL: (
        "[{{ conference }}] #{{ number }} accepted as an oral presentation",
        "Dear {{ author_name }},\n\n"
        "We are delighted to tell you that your submission #{{ number }} "
        "“{{ title }}” has been accepted to {{ conference }} as an oral "
        "presentation.\n\n"
        "Please upload the camera-ready version by {{ camera_ready_deadline }}:\n"
        "{{ url }}\n\n"
        "{{ meta_review }}\n\n"
        "The reviewers' comments follow.\n\n{{ reviews }}\n\n"
        "Congratulations, and see you at the workshop!\nThe {{ conference }} chairs",
    ),
    Outcome.ACCEPT_POSTER: (
        "[{{ conference }}] #{{ number }} accepted as a poster",
        "Dear {{ author_name }},\n\n"
        "We are happy to tell you that your submission #{{ number }} "
        "“{{ title }}” has been accepted to {{ conference }} as a poster.\n\n"
        "Please upload the camera-ready version by {{ camera_ready_deadline }}:\n"
        "{{ url }}\n\n"
        "{{ meta_review }}\n\n"
        "The reviewers' comments follow.\n\n{{ reviews }}\n\n"
        "Congratulations, and see you at the workshop!\nThe {{ conference }} chairs",
    ),
    Outcome.REJECT: (
        "[{{ conference }}] Decision on #{{ number }}",
        "Dear {{ author_name }},\n\n"
        "We regret to tell you that your submission #{{ number }} “{{ title }}” "
        "was not accepted to {{ conference }}. We received many good submissions "
        "and could accept only a few.\n\n"
        "{{ meta_review }}\n\n"
        "The reviewers' comments follow; we hope they help.\n\n{{ reviews }}\n\n"
        "Thank you for submitting to {{ conference }}.\nThe {{ conference }} chairs",
    ),
    Outcome.DESK_REJECT: (
        "[{{ conference }}] Decision on #{{ number }}",
        "Dear {{ author_name }},\n\n"
        "We regret to tell you that your submission #{{ number }} “{{ title }}” "
        "was rejected without review:\n\n{{ reason }}\n\n"
        "Thank you for your interest in {{ conference }}.\n"
        "The {{ conference }} chairs",
    ),
    # Never the name of who wrote or changed it: authors read "the meta-review".
    META_REVIEW_EDITED: (
        "[{{ conference }}] New meta-review text for “{{ title }}”",
        "Dear {{ author_name }},\n\n"
        "The meta-review of your submission #{{ number }} “{{ title }}” to "
        "{{ conference }} was written or updated after the decision was sent. "
        "You can read it with the decision and the reviews here:\n{{ url }}\n\n"
        "The {{ conference }} chairs",
    ),
}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace known {{ placeholders }}; anything else is left as written."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), text)


def unknown_placeholders(text: str) -> list[str]:
    return sorted({m for m in PLACEHOLDER_RE.findall(text) if m not in PLACEHOLDERS})


def mail_templates(conference: Conference) -> dict[str, DecisionMailTemplate]:
    """The conference's template per outcome (and for `META_REVIEW_EDITED`),
    created with the defaults if missing."""
    found = {t.outcome: t for t in conference.decision_mail_templates.all()}
    for outcome, (subject, body) in DEFAULT_TEMPLATES.items():
        if outcome not in found:
            found[outcome], _ = DecisionMailTemplate.objects.get_or_create(
                conference=conference,
                outcome=outcome,
                defaults={"subject": subject, "body": body},
            )
    return found


def _normal_body(body: str) -> str:
    return body.replace("\r\n", "\n").strip() + "\n"


@transaction.atomic
def save_mail_template(
    template: DecisionMailTemplate, *, subject: str, body: str, by: User
) -> DecisionMailTemplate:
    """A chair rewrites the mail of one outcome; unknown placeholders are refused."""
    unknown = unknown_placeholders(subject + body)
    if unknown:
        raise ValidationError(
            "Unknown placeholders: "
            + ", ".join("{{ %s }}" % name for name in unknown)  # noqa: UP031
            + "."
        )
    subject, body = " ".join(subject.split()), _normal_body(body)
    if (subject, body) == (template.subject, _normal_body(template.body)):
        return template  # saved unchanged: nothing to record
    template.subject, template.body = subject, body
    template.updated_by = by
    template.full_clean()
    template.save()
    return template

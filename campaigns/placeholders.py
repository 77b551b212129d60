"""The placeholders of a campaign mail, blind by construction.

The engine is the decision mails' (`decisions.mail_templates`: `{{ name }}`,
`fill`); this module says which names exist, which each recipient kind may use,
and fills them per recipient. Checked before anything is queued: a name that
does not exist, that would reveal the authors to reviewers (or the reviewers to
authors), or that needs one submission per mail where the mail lists several, is
refused with its name.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.audiences import (
    AUDIENCE_LABELS,
    AUTHORS,
    COMMITTEE,
    REVIEWERS_AUDIENCE,
    Recipient,
    RecipientKind,
)
from decisions.mail_templates import PLACEHOLDER_RE, fill
from haet.deadlines import describe_deadline
from haet.models import Conference, ImportantDate
from submissions.models import Submission

EVERYONE = frozenset({AUTHORS, REVIEWERS_AUDIENCE, COMMITTEE})
SUBMISSION, SUBMISSIONS = "submission", "submissions"


@dataclass(frozen=True)
class Placeholder:
    name: str
    help: str
    audiences: frozenset[str] = EVERYONE
    # "submission": one submission per mail; "submissions": the mail's list.
    needs: str = ""
    # Whose identity it carries: never offered to the other side, refused if typed.
    reveals: str = ""


CATALOGUE = [
    Placeholder("recipient.name", "The recipient's name"),
    Placeholder("recipient.email", "The recipient's email address"),
    Placeholder("conference", "The conference's acronym, e.g. HAET 2022"),
    Placeholder("conference.name", "The conference's full name"),
    Placeholder("site_url", "The address of this site"),
    Placeholder("submission_deadline", "The submission deadline"),
    Placeholder("review_deadline", "The review deadline"),
    Placeholder("camera_ready_deadline", "The camera-ready deadline"),
    Placeholder("submission.number", "The submission's number", EVERYONE, SUBMISSION),
    Placeholder("submission.title", "The submission's title", EVERYONE, SUBMISSION),
    Placeholder(
        "submission.url",
        "The submission's page for its authors",
        frozenset({AUTHORS}),
        SUBMISSION,
    ),
    Placeholder(
        "submission.authors",
        "The submission's authors, in order",
        frozenset({AUTHORS}),
        SUBMISSION,
        reveals=AUTHORS,
    ),
    Placeholder(
        "submission.affiliations",
        "The authors' affiliations",
        frozenset({AUTHORS}),
        SUBMISSION,
        reveals=AUTHORS,
    ),
    # Offered to nobody: reviewer names never go to authors, and a mail to reviewers
    # lists their own submissions only. Listed so that typing it gets the reason.
    Placeholder(
        "submission.reviewers",
        "The submission's reviewers",
        frozenset(),
        SUBMISSION,
        reveals=REVIEWERS_AUDIENCE,
    ),
    Placeholder(
        "submissions",
        "The recipient's matching submissions, one a line (#number “title”)",
        frozenset({AUTHORS, REVIEWERS_AUDIENCE}),
        SUBMISSIONS,
    ),
]
BY_NAME = {p.name: p for p in CATALOGUE}


def _fits(placeholder: Placeholder, kind: RecipientKind) -> bool:
    if kind.audience not in placeholder.audiences:
        return False
    if placeholder.needs == SUBMISSION:
        return kind.per_submission
    if placeholder.needs == SUBMISSIONS:
        return kind.uses_search and not kind.per_submission
    return True


def offered(kind: RecipientKind, extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(name, help) of every placeholder a mail to `kind` may use; `extra`: the
    custom-field placeholders of its audience (per-submission kinds only)."""
    found = [(p.name, p.help) for p in CATALOGUE if _fits(p, kind)]
    if kind.per_submission:
        found += [(name, "A custom field's answer") for name in extra]
    return found


def refusal(name: str, kind: RecipientKind, extra: Iterable[str] = ()) -> str:
    """Why `name` may not be used in a mail to `kind` ("" if it may)."""
    tag = "{{ %s }}" % name  # noqa: UP031 - braces in an f-string are harder to read
    placeholder = BY_NAME.get(name)
    if placeholder is None:
        if name in set(extra) and kind.per_submission:
            return ""
        if name.startswith("field.") and not kind.per_submission:
            return f"{tag}: custom fields need one mail per submission."
        return f"Unknown placeholder {tag}."
    if placeholder.reveals and placeholder.reveals != kind.audience:
        return (
            f"{tag} would reveal the {AUDIENCE_LABELS[placeholder.reveals]} to "
            f"{AUDIENCE_LABELS[kind.audience]}: not allowed in this mail."
        )
    if kind.audience not in placeholder.audiences:
        return f"{tag} is not available in a mail to {AUDIENCE_LABELS[kind.audience]}."
    if placeholder.needs == SUBMISSION and not kind.per_submission:
        return f"{tag} needs one mail per submission: choose such recipients" + (
            ", or use {{ submissions }}." if _fits(BY_NAME[SUBMISSIONS], kind) else "."
        )
    if placeholder.needs == SUBMISSIONS and not _fits(placeholder, kind):
        return f"{tag} needs recipients chosen by a search, one mail per person."
    return ""


def used(*texts: str) -> list[str]:
    """Every placeholder name in `texts`, once each, in order of appearance."""
    return list(
        dict.fromkeys(m for text in texts for m in PLACEHOLDER_RE.findall(text))
    )


def check(
    subject: str, body: str, kind: RecipientKind, extra: Iterable[str] = ()
) -> None:
    """Raise ValidationError listing every placeholder that may not be used."""
    extra = list(extra)
    problems = [
        problem
        for name in used(subject, body)
        if (problem := refusal(name, kind, extra))
    ]
    if problems:
        raise ValidationError(problems)


# --- filling ---------------------------------------------------------------------
def conference_values(conference: Conference) -> dict[str, str]:
    """The values every mail of a campaign shares (two queries)."""
    dates = conference.dates_by_kind
    values = {
        "conference": conference.acronym,
        "conference.name": conference.name,
        "site_url": settings.SITE_URL,
    }
    for name, kind in (
        ("submission_deadline", ImportantDate.Kind.SUBMISSION_DEADLINE),
        ("review_deadline", ImportantDate.Kind.REVIEW_DEADLINE),
        ("camera_ready_deadline", ImportantDate.Kind.CAMERA_READY_DEADLINE),
    ):
        date = dates.get(kind)
        values[name] = (
            describe_deadline(date.closes_at, conference)
            if date is not None
            else f"(no {name.replace('_', ' ')} set)"
        )
    return values


def _submission_values(submission: Submission, audience: str) -> dict[str, str]:
    values = {
        "submission.number": str(submission.number),
        "submission.title": submission.title,
    }
    if audience == AUTHORS:  # never computed for anyone else
        authors = list(submission.authors.all())  # prefetched by the finder
        values["submission.authors"] = ", ".join(a.name for a in authors)
        values["submission.affiliations"] = "; ".join(
            dict.fromkeys(a.affiliation for a in authors if a.affiliation)
        )
        values["submission.url"] = settings.SITE_URL + reverse(
            "submissions:detail", args=[submission.number]
        )
    return values


def recipient_values(
    recipient: Recipient,
    kind: RecipientKind,
    shared: dict[str, str],
    fields: dict[int, dict[str, str]] | None = None,
) -> dict[str, str]:
    values = {
        **shared,
        "recipient.name": recipient.name,
        "recipient.email": recipient.email,
    }
    submission = recipient.submission
    if kind.per_submission and submission is not None:
        values.update(_submission_values(submission, kind.audience))
        values.update((fields or {}).get(submission.pk, {}))
    elif recipient.submissions:
        values["submissions"] = "\n".join(
            f"#{s.number} “{s.title}”" for s in recipient.submissions
        )
    return values


def render(subject: str, body: str, values: dict[str, str]) -> tuple[str, str]:
    """(subject, body) filled for one recipient."""
    filled_subject = " ".join(fill(subject, values).split())[:300]
    return filled_subject, fill(body, values).replace("\r\n", "\n").strip() + "\n"

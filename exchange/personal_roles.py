"""Download my data, the sections of the roles added in the first round of issue
16/15: author responses, delegations (both sides) and the delegate's notes,
reviews drafted as a delegate, area-chair assignments, meta-reviews, campaigns,
and the answers to the chairs' submission fields.

Each submission a reviewer-like role touched is named as that role sees it
(`exchange.personal.blind_of`: number, title, abstract, keywords, topics, never
its authors); nothing about a submission the person is now conflicted with
beyond what they wrote themselves. No other person's identity but the delegate
a reviewer chose themselves."""

from collections.abc import Iterable
from typing import Any

from campaigns.models import Campaign
from decisions.models import MetaReview
from exchange.exporting import json_value
from haet.models import User
from haet.rules import conflicted_submission_ids
from reviews.models import (
    AreaChairAssignment,
    AuthorResponse,
    Delegation,
    DelegationComment,
    Review,
)
from submissions.fields.queries import answers_by_submission, fields_for
from submissions.models import Submission

BLIND_RELATED = (
    "submission__current_version",
    "submission__supplementary",
)


def _blind(submission: Submission) -> dict[str, Any]:
    from exchange.personal import blind_of  # one definition of the blind view

    return blind_of(submission)


def _at(value: Any) -> Any:
    return json_value(value)


def author_responses(user: User) -> list[dict[str, Any]]:
    """The responses to the reviews they wrote (their own submissions)."""
    return [
        {
            "submission": response.submission.number,
            "text": response.text,
            "state": response.state,
            "saved_at": _at(response.saved_at),
            "submitted_at": _at(response.submitted_at),
        }
        for response in AuthorResponse.objects.filter(written_by=user)
        .select_related("submission")
        .order_by("submission__number")
    ]


def _assignment_related(prefix: str) -> list[str]:
    return [f"{prefix}{name}" for name in BLIND_RELATED]


def delegations_proposed(user: User) -> list[dict[str, Any]]:
    """Delegations of their own reviews: the delegate they chose, the status."""
    found = (
        Delegation.objects.filter(assignment__reviewer=user)
        .select_related(*_assignment_related("assignment__"))
        .prefetch_related("assignment__submission__topics")
        .order_by("assignment__submission__number", "created_at", "pk")
    )
    return [
        {
            "submission": _blind(d.assignment.submission),
            "as": d.assignment.pseudonym,
            "delegate_name": d.name,
            "delegate_email": d.email,
            "status": d.status,
            "created_at": _at(d.created_at),
            "answered_at": _at(d.answered_at),
        }
        for d in found
    ]


def delegations_accepted(user: User) -> list[dict[str, Any]]:
    """Reviews they were asked to write as a delegate, and the draft they wrote
    (never the name of the reviewer who asked: the pseudonym only)."""
    found = (
        Delegation.objects.filter(delegate=user)
        .exclude(
            assignment__submission_id__in=conflicted_submission_ids(user),
        )
        .select_related(*_assignment_related("assignment__"))
        .prefetch_related("assignment__submission__topics")
        .order_by("assignment__submission__number", "created_at", "pk")
    )
    rows = list(found)
    drafts = {
        review.assignment_id: review
        for review in Review.objects.filter(
            assignment_id__in=[d.assignment_id for d in rows if d.drafted_at]
        )
    }
    return [
        {
            "submission": _blind(d.assignment.submission),
            "for": d.assignment.pseudonym,
            "status": d.status,
            "answered_at": _at(d.answered_at),
            "drafted_at": _at(d.drafted_at),
            "draft": (
                {
                    "state": drafts[d.assignment_id].state,
                    "answers": drafts[d.assignment_id].answers,
                }
                if d.assignment_id in drafts
                else None
            ),
        }
        for d in rows
    ]


def delegation_notes(user: User) -> list[dict[str, Any]]:
    """The notes they wrote on a delegated draft (either side)."""
    return [
        {
            "submission": note.delegation.assignment.submission.number,
            "body": note.body,
            "created_at": _at(note.created_at),
        }
        for note in DelegationComment.objects.filter(author=user)
        .select_related("delegation__assignment__submission")
        .order_by("created_at", "pk")
    ]


def area_chair_assignments(user: User) -> list[dict[str, Any]]:
    found = (
        AreaChairAssignment.objects.filter(area_chair=user)
        .exclude(submission_id__in=conflicted_submission_ids(user))
        .select_related(*BLIND_RELATED)
        .prefetch_related("submission__topics")
        .order_by("submission__number")
    )
    return [
        {
            "submission": _blind(a.submission),
            "source": a.source,
            "created_at": _at(a.created_at),
        }
        for a in found
    ]


def meta_reviews(user: User) -> list[dict[str, Any]]:
    """The meta-reviews they wrote, both parts (they wrote them)."""
    found = (
        MetaReview.objects.filter(written_by=user)
        .exclude(submission_id__in=conflicted_submission_ids(user))
        .select_related(*BLIND_RELATED)
        .prefetch_related("submission__topics")
        .order_by("submission__number")
    )
    return [
        {
            "submission": _blind(m.submission),
            "to_authors": m.to_authors,
            "note_to_chairs": m.note_to_chairs,
            "written_at": _at(m.written_at),
        }
        for m in found
    ]


def campaigns(user: User) -> list[dict[str, Any]]:
    """The mails they composed as a chair: what they wrote and to which group,
    not the recipients (other people, each kept in their own mailbox)."""
    return [
        {
            "recipients": c.recipients,
            "audience": c.audience,
            "search": c.search,
            "subject": c.subject,
            "body": c.body,
            "status": c.status,
            "created_at": _at(c.created_at),
        }
        for c in Campaign.objects.filter(created_by=user).order_by("created_at", "pk")
    ]


def field_answers(submissions: Iterable[Submission]) -> dict[int, list[dict]]:
    """{submission id: the answers its authors see} to the chairs' fields (two
    queries per conference)."""
    by_conference: dict[int, list[Submission]] = {}
    for submission in submissions:
        by_conference.setdefault(submission.conference_id, []).append(submission)
    found: dict[int, list[dict]] = {}
    for rows in by_conference.values():
        fields = fields_for(rows[0].conference, audience="authors")
        answers = answers_by_submission([s.pk for s in rows], fields)
        for submission in rows:
            mine = answers[submission.pk]
            found[submission.pk] = [
                {
                    "field": field.slug,
                    "label": field.label,
                    "answer": mine[field.pk].text,
                    "file_name": mine[field.pk].file_name,
                }
                for field in fields
                if field.pk in mine
            ]
    return found

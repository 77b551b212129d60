"""Download my data: everything haet holds about one person, as JSON.

Only the person's own data, as they may see it: the submissions they author as
their authors see them (a decision once released; never a reviewer's name), the
reviews, discussion posts, bids and conflict declarations they wrote, and the mails
sent to them. A reviewer's reviews name each submission as reviewers see it
(`reviews.blind`): number, title, abstract, keywords, topics; never its authors.
Later apps add sections of their own through `register_section` (the API's
tokens: exchange may not import api). Reads only.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q

from decisions.models import Decision
from exchange import personal_roles
from exchange.exporting import json_value
from haet.models import User
from haet.outbox.models import OutboxMail
from proceedings.models import CameraReady
from reviews.blind import blind
from reviews.models import Bid, Conflict, DiscussionPost, Review, ReviewerProfile
from submissions.models import Author, Submission

FORMAT = "haet-personal-data"
VERSION = 1

# {section name: the person's rows}: filled by later apps in AppConfig.ready.
SECTIONS: dict[str, Callable[[User], Any]] = {}


def register_section(name: str, read: Callable[[User], Any]) -> None:
    """Add a section to everybody's file (idempotent: a name is set once)."""
    SECTIONS[name] = read


def _values(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: json_value(getattr(obj, name)) for name in names}


def profile_of(user: User) -> dict[str, Any]:
    return {
        **_values(user, ("email", "name", "affiliation", "date_joined", "last_login")),
        "roles": sorted(group.name for group in user.groups.all()),
        "mail_preferences": [
            {"key": p.key, "enabled": p.enabled}
            for p in user.mail_preferences.order_by("key")
        ],
    }


def reviewer_profile_of(user: User) -> dict[str, Any] | None:
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        **_values(
            profile,
            (
                "keywords",
                "own_publications",
                "institution_domains",
                "max_assignments",
                "completed_at",
                "bidding_done_at",
            ),
        ),
        "topics": sorted(topic.name for topic in profile.topics.all()),
        "publications": [
            _values(p, ("source", "title", "abstract", "year", "coauthors"))
            for p in user.publications.order_by("pk")
        ],
    }


def submission_of(
    submission: Submission, fields: list[dict] | None = None
) -> dict[str, Any]:
    """A submission as its authors see it: no reviewer, no unreleased decision;
    `fields`: its answers to the chairs' fields that authors see."""
    decision: Decision | None = getattr(submission, "decision", None)
    camera_ready: CameraReady | None = getattr(submission, "camera_ready", None)
    return {
        **_values(
            submission,
            (
                "number",
                "title",
                "abstract",
                "keywords",
                "state",
                "submitted_at",
                "withdrawn_at",
                "arxiv_url",
                "not_accepted_at_main",
                "include_in_proceedings",
            ),
        ),
        "topics": sorted(topic.name for topic in submission.topics.all()),
        "authors": [
            _values(a, ("name", "email", "affiliation"))
            for a in submission.authors.all()
        ],
        "versions": [
            _values(
                v, ("original_filename", "sha256", "size", "page_count", "uploaded_at")
            )
            for v in submission.versions.all()
        ],
        "supplementary_files": [
            _values(f, ("original_filename", "sha256", "size", "uploaded_at"))
            for f in submission.supplementary_files.all()
        ],
        "fields": fields or [],
        "declared_conflicts": [
            _values(c, ("kind", "value", "declared_at"))
            for c in submission.conflicts.all()
        ],
        "decision": _values(decision, ("outcome", "reason", "released_at"))
        if decision is not None and decision.is_released
        else None,
        "camera_ready": _values(
            camera_ready,
            ("title", "authors", "include_in_proceedings", "arxiv_url", "submitted_at"),
        )
        if camera_ready is not None
        else None,
    }


def blind_of(submission: Submission) -> dict[str, Any]:
    seen = blind(submission)
    return {
        "number": seen.number,
        "title": seen.title,
        "abstract": seen.abstract,
        "keywords": seen.keywords,
        "topics": list(seen.topics),
    }


def reviews_of(user: User) -> list[dict[str, Any]]:
    reviews = (
        Review.objects.filter(assignment__reviewer=user)
        .select_related(
            "assignment__submission__current_version",
            "assignment__submission__supplementary",
        )
        .prefetch_related("assignment__submission__topics")
        .order_by("assignment__submission__number")
    )
    return [
        {
            "submission": blind_of(review.assignment.submission),
            "as": review.assignment.pseudonym,
            **_values(
                review, ("state", "submitted_at", "score", "confidence", "answers")
            ),
        }
        for review in reviews
    ]


def mails_to(user: User) -> list[dict[str, Any]]:
    mails = OutboxMail.objects.filter(
        Q(recipient=user) | Q(to_email__iexact=user.email),
        status=OutboxMail.Status.SENT,
    ).order_by("pk")
    return [
        {
            **_values(mail, ("to_email", "subject", "template", "sent_at")),
            # A sign-in, reset or invitation link stays in the mailbox it went to.
            "body": None if mail.is_sensitive else mail.body_text,
        }
        for mail in mails
    ]


def personal_data(user: User) -> dict[str, Any]:
    """Everything about `user` that `user` may see, JSON-ready."""
    submissions = (
        Submission.objects.authored_by(user)
        .select_related("decision", "camera_ready")
        .prefetch_related(
            "topics",
            Prefetch("authors", queryset=Author.objects.order_by("order", "pk")),
            "versions",
            "supplementary_files",
            "conflicts",
        )
        .order_by("number")
    )
    fields = personal_roles.field_answers(submissions)
    return {
        "format": FORMAT,
        "version": VERSION,
        "profile": profile_of(user),
        "reviewer_profile": reviewer_profile_of(user),
        "submissions": [submission_of(s, fields.get(s.pk)) for s in submissions],
        "author_responses": personal_roles.author_responses(user),
        "reviews": reviews_of(user),
        "discussion_posts": [
            {
                "submission": post.submission.number,
                **_values(post, ("created_at", "body")),
            }
            for post in DiscussionPost.objects.filter(author=user)
            .select_related("submission")
            .order_by("created_at", "pk")
        ],
        "bids": [
            {
                "submission": bid.submission.number,
                **_values(bid, ("value", "updated_at")),
            }
            for bid in Bid.objects.filter(reviewer=user)
            .select_related("submission")
            .order_by("submission__number")
        ],
        "conflicts": [
            {
                "submission": c.submission.number,
                **_values(c, ("source", "reason", "created_at", "is_waived")),
            }
            for c in Conflict.objects.filter(user=user, created_by=user)
            .select_related("submission")
            .order_by("submission__number", "source")
        ],
        "delegations_proposed": personal_roles.delegations_proposed(user),
        "delegations_accepted": personal_roles.delegations_accepted(user),
        "delegation_notes": personal_roles.delegation_notes(user),
        "area_chair_assignments": personal_roles.area_chair_assignments(user),
        "meta_reviews": personal_roles.meta_reviews(user),
        "campaigns": personal_roles.campaigns(user),
        "mails": mails_to(user),
        **{name: read(user) for name, read in sorted(SECTIONS.items())},
    }

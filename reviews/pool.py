"""Writes of the reviewer pool: invitations and reviewer profiles.

Mails go through the outbox (queue_mail) in the caller's transaction, each with a
dedupe key, so a double click sends one mail."""

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from haet import clock
from haet.models import Topic, User
from haet.outbox.services import queue_mail
from haet.services import set_role
from reviews.models import (
    Invitation,
    ReviewerProfile,
    ReviewSettings,
    new_token,
)

# --- the reviewer pool -------------------------------------------------------------
ADDRESS = re.compile(r"[^\s<>,;\"']+@[^\s<>,;\"']+\.[^\s<>,;\"']+")


def parse_invitees(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, email) pairs from a pasted list, one person a line: "Jane Doe
    <jane@uni.edu>", "jane@uni.edu, Jane Doe", "jane@uni.edu". Returns the pairs and
    the lines that hold no valid address."""
    found, bad = [], []
    seen = set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = ADDRESS.search(line)
        if match is None:
            bad.append(line)
            continue
        email = match.group(0).strip(".").lower()
        try:
            validate_email(email)
        except ValidationError:
            bad.append(line)
            continue
        name = (line[: match.start()] + " " + line[match.end() :]).strip(" <>,;\"'\t")
        if email not in seen:
            seen.add(email)
            found.append((" ".join(name.split()), email))
    return found, bad


def invitation_url(invitation: Invitation) -> str:
    return reverse("reviews:invitation", args=[invitation.token])


def _send_invitation(invitation: Invitation) -> None:
    queue_mail(
        to=invitation.email,
        template="reviewer_invitation",
        context={"invitation": invitation, "url": invitation_url(invitation)},
        dedupe_key=f"reviewer_invitation:{invitation.pk}:{invitation.token}",
        sensitive=True,  # the link accepts the invitation: it grants a role
    )


@transaction.atomic
def invite_reviewer(email: str, *, name: str = "", by: User) -> tuple[Invitation, bool]:
    """Invite one person; (invitation, is_new). Idempotent: an open or accepted
    invitation is left alone; a declined one is renewed (new link).
    Side effects: one invitation mail per new or renewed invitation."""
    email = email.strip().lower()
    validate_email(email)
    invitation = Invitation.objects.select_for_update().filter(email=email).first()
    if invitation is not None and invitation.status != Invitation.Status.DECLINED:
        return invitation, False
    now = clock.now()
    if invitation is None:
        invitation = Invitation.objects.create(
            email=email, name=name, invited_by=by, sent_at=now
        )
    else:
        invitation.status = Invitation.Status.INVITED
        invitation.token = new_token()
        invitation.invited_by = by
        invitation.sent_at = now
        invitation.answered_at = None
        invitation.decline_reason = ""
        invitation.name = name or invitation.name
        invitation.save()
    _send_invitation(invitation)
    return invitation, True


@transaction.atomic
def invite_reviewers(
    text: str, *, by: User, progress: Callable[[int, str], None] | None = None
) -> dict[str, list]:
    """Invite everyone in a pasted list. Returns {"invited": [...], "skipped":
    [...already invited...], "bad": [lines without an address]}.
    `progress(percent, message)` is told every 50 people (reviews.jobs)."""
    people, bad = parse_invitees(text)
    invited: list[Invitation] = []
    skipped: list[Invitation] = []
    for index, (name, email) in enumerate(people):
        if progress is not None and index % 50 == 0:
            progress(
                5 + 90 * index // len(people),
                f"Inviting {index + 1}-{min(index + 50, len(people))} "
                f"of {len(people)} people",
            )
        invitation, is_new = invite_reviewer(email, name=name, by=by)
        (invited if is_new else skipped).append(invitation)
    return {"invited": invited, "skipped": skipped, "bad": bad}


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User) -> Invitation:
    """The signed-in person joins the pool (the link is the proof: they may use
    another address than the one invited).
    Side effects: the reviewer role; an empty profile."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED and invitation.user_id not in (
        None,
        user.pk,
    ):
        raise ValidationError("This invitation was accepted by another account.")
    if invitation.status != Invitation.Status.ACCEPTED:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.answered_at = clock.now()
    invitation.user = user
    invitation.save()
    set_role(user, "reviewer", granted=True)
    ReviewerProfile.objects.get_or_create(user=user)
    if not user.name and invitation.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    return invitation


@transaction.atomic
def decline_invitation(
    invitation: Invitation, *, reason: str = "", user: User | None = None
) -> Invitation:
    """No thanks. A person who accepted earlier keeps the role until a chair
    removes it (they may already have assignments)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = clock.now()
    invitation.decline_reason = reason[:500]
    if user is not None and user.is_authenticated:
        invitation.user = user
    invitation.save()
    return invitation


# --- profiles ------------------------------------------------------------------------
@transaction.atomic
def save_profile(
    user: User,
    *,
    topics: Iterable[Topic],
    keywords: str,
    own_publications: str,
    institution_domains: str,
    max_assignments: int | None,
) -> ReviewerProfile:
    """Side effects: conflicts by domain change with the declared domains."""
    profile, _ = ReviewerProfile.objects.get_or_create(user=user)
    profile.keywords = keywords.strip()
    profile.own_publications = own_publications.strip()
    profile.institution_domains = "\n".join(
        sorted(ReviewerProfile(institution_domains=institution_domains).domains)
    )
    profile.max_assignments = max_assignments
    profile.completed_at = profile.completed_at or clock.now()
    profile.full_clean()
    profile.save()
    profile.topics.set(topics)
    return profile


def max_load(profile: ReviewerProfile | None, review_settings: ReviewSettings) -> int:
    if profile is not None and profile.max_assignments is not None:
        return min(profile.max_assignments, review_settings.default_max_load * 10)
    return review_settings.default_max_load

"""Area chairs: who they are, which submissions they oversee, what they may see.

An area chair is a member of the "area_chairs" group (haet.rules.AREA_CHAIRS):
appointed by a chair from the committee or invited by email (the link answers
it, like a reviewer's invitation). Each submission has at most one area chair
(k = 1), assigned by hand or by the reviewers' solver
(`reviews.area_chair_solver`), under the same conflict rules as reviewers.

An area chair reads the reviews and the discussion of THEIR submissions only
(and posts in that discussion, signed "Area chair": reviews.rules), blind (a
`BlindSubmission`, never author identities), and nothing of a
submission they are conflicted with; when the chairs enable area chairs
(`AreaChairSettings.is_enabled`) they also write its meta-review (decisions).

Permissions (object: a Submission, with `area_chair_assignment` selected):
- reviews.area_chair_view: the submission's area chair, not conflicted, while
  the submission is live (`is_active_area_chair`, in reviews.rules).
"""

import hashlib
import logging

import rules
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from haet import clock
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from haet.rules import is_area_chair
from haet.services import set_role
from reviews import conflicts
from reviews.assigning import conflict_refusal
from reviews.conflicts import refuse_if_hidden
from reviews.models import (
    AreaChairAssignment,
    AreaChairInvitation,
    AreaChairSettings,
    new_token,
)
from reviews.rules import is_active_area_chair
from submissions.models import Submission

logger = logging.getLogger(__name__)


# --- who may see what ------------------------------------------------------------
# The predicates live in reviews.rules (the discussion's permissions use them too).
rules.add_perm("reviews.area_chair_view", is_active_area_chair)


def area_chair_settings(conference: Conference) -> AreaChairSettings:
    return AreaChairSettings.objects.for_conference(conference)


def area_chairs() -> list[User]:
    """Every active area chair, by name."""
    return list(
        User.objects.filter(groups__name="area_chairs", is_active=True)
        .distinct()
        .order_by("name", "email")
    )


# --- settings and the role -----------------------------------------------------------
@transaction.atomic
def update_area_chair_settings(
    conference: Conference, *, is_enabled: bool, max_load: int, by: User
) -> AreaChairSettings:
    found = area_chair_settings(conference)
    found.is_enabled, found.max_load = is_enabled, max_load
    found.full_clean()
    found.save()
    logger.info("area chair settings %s/%s by %s", is_enabled, max_load, by)
    return found


@transaction.atomic
def appoint_area_chair(user: User, *, by: User) -> None:
    """Give a committee member the area-chair role (idempotent)."""
    if not user.is_active:
        raise ValidationError(f"{user} has no active account.")
    set_role(user, "area_chair", granted=True)
    logger.info("area chair %s appointed by %s", user, by)


@transaction.atomic
def dismiss_area_chair(user: User, *, by: User) -> None:
    """Take the role back; refused while they still oversee submissions."""
    if AreaChairAssignment.objects.filter(area_chair=user).exists():
        raise ValidationError(
            f"{user} still oversees submissions: assign them to someone else first."
        )
    set_role(user, "area_chair", granted=False)
    logger.info("area chair %s dismissed by %s", user, by)


def invitation_url(invitation: AreaChairInvitation) -> str:
    return reverse("reviews:area-chair-invitation", args=[invitation.token])


@transaction.atomic
def invite_area_chair(
    email: str, *, name: str = "", by: User
) -> tuple[AreaChairInvitation, bool]:
    """Invite one person by email; (invitation, is_new). An open or accepted
    invitation is left alone; a declined one is renewed (new link).
    Side effects: one invitation mail (through the outbox) when new or renewed."""
    email = email.strip().lower()
    validate_email(email)
    invitation = (
        AreaChairInvitation.objects.select_for_update().filter(email=email).first()
    )
    if invitation is not None and invitation.status != "declined":
        return invitation, False
    if invitation is None:
        invitation = AreaChairInvitation.objects.create(
            email=email, name=name, invited_by=by
        )
    else:
        invitation.status = AreaChairInvitation.Status.INVITED
        invitation.token = new_token()
        invitation.invited_by, invitation.answered_at = by, None
        invitation.save()
    queue_mail(
        to=email,
        template="area_chair_invitation",
        context={"invitation": invitation, "url": invitation_url(invitation)},
        dedupe_key=f"area_chair_invitation:{invitation.pk}:{invitation.token}",
        sensitive=True,  # the link grants a role
    )
    return invitation, True


@transaction.atomic
def answer_area_chair_invitation(
    invitation: AreaChairInvitation, *, user: User, accept: bool
) -> AreaChairInvitation:
    """The signed-in person accepts (and becomes an area chair) or declines."""
    invitation = AreaChairInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.user_id not in (None, user.pk):
        raise ValidationError("This invitation was answered by another account.")
    invitation.status = (
        AreaChairInvitation.Status.ACCEPTED
        if accept
        else AreaChairInvitation.Status.DECLINED
    )
    invitation.answered_at, invitation.user = clock.now(), user
    invitation.save()
    set_role(user, "area_chair", granted=accept)
    if accept and not user.name and invitation.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    return invitation


# --- assignments -------------------------------------------------------------------
@transaction.atomic
def assign_area_chair(
    submission: Submission,
    area_chair: User,
    *,
    by: User,
    source: str = AreaChairAssignment.Source.MANUAL,
    notify: bool = True,
) -> AreaChairAssignment:
    """Make `area_chair` the submission's one area chair (replacing another).
    Raises ValidationError with the reason when they are conflicted or not an
    area chair; a chair conflicted with the submission is refused as if it did
    not exist. Side effects: a mail to a newly assigned area chair (`notify`)."""
    refuse_if_hidden(submission, by=by)
    if not is_area_chair(area_chair):
        raise ValidationError(f"{area_chair} is not an area chair.")
    if conflicts.is_conflicted(area_chair, submission):
        raise ValidationError(
            f"{area_chair} is conflicted with #{submission.number}: "
            f"{conflict_refusal(submission, area_chair, by=by)}"
        )
    current = AreaChairAssignment.objects.filter(submission=submission).first()
    if current is not None and current.area_chair_id == area_chair.pk:
        return current
    assignment, _ = AreaChairAssignment.objects.update_or_create(
        submission=submission,
        defaults={
            "area_chair": area_chair,
            "source": source,
            "assigned_by": by,
            "created_at": clock.now(),
        },
    )
    if notify:
        queue_area_chair_mail(area_chair, [assignment])
    return assignment


def queue_area_chair_mail(
    area_chair: User, assignments: list[AreaChairAssignment]
) -> bool:
    """One mail telling an area chair about their new submissions: numbers and
    titles, never authors. Once per set of assignments."""
    if not assignments:
        return False
    assignments = sorted(assignments, key=lambda a: a.submission.number)
    ids = ",".join(str(a.pk) for a in assignments)
    mail = queue_mail(
        to=area_chair,
        template="area_chair_assignment",
        context={
            "items": [
                {"number": a.submission.number, "title": a.submission.title}
                for a in assignments
            ],
            "url": reverse("reviews:area-chair-dashboard"),
        },
        dedupe_key=f"area-chair-assignment:{area_chair.pk}:"
        + hashlib.sha256(ids.encode()).hexdigest()[:32],
        submissions=[a.submission for a in assignments],
    )
    return mail is not None


@transaction.atomic
def unassign_area_chair(submission: Submission, *, by: User) -> bool:
    refuse_if_hidden(submission, by=by)
    deleted, _ = AreaChairAssignment.objects.filter(submission=submission).delete()
    return bool(deleted)

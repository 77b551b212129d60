"""Results, the announcement and leaderboard publication.

Every function names its side effects. Mails go through the outbox (`queue_mail`)
in the caller's transaction with the key `award:<award pk>:<submission pk>:<email>`,
so announcing twice mails nobody twice.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from awards.categories import require_chair
from awards.models import AwardResult, AwardSettings, Judgement
from awards.publication import (
    RESULTS_NOT_RELEASED,
    publish_refusal,
    released_submission_ids,
)
from awards.queries import shortlist
from haet import clock
from haet.models import AwardCategory, User
from haet.outbox.services import queue_mail
from reviews.conflicts import is_conflicted
from submissions.models import Submission


@transaction.atomic
def set_result(
    award: AwardCategory,
    submission: Submission,
    *,
    place: str | None,
    citation: str = "",
    by: User,
) -> AwardResult | None:
    """A chair confirms a winner or honourable mention (None: neither). Only
    shortlisted papers the chair is not conflicted with; frozen once announced."""
    require_chair(by)
    found = AwardSettings.objects.for_award(award)
    if found.is_announced:
        raise ValidationError("The award is announced: its results are final.")
    if is_conflicted(by, submission):
        raise PermissionDenied("A conflicted chair cannot decide this paper's award.")
    if submission.pk not in {c.submission_id for c in shortlist(award)}:
        raise ValidationError(f"#{submission.number} is not on the shortlist.")
    if not place:
        AwardResult.objects.filter(award=award, submission=submission).delete()
        return None
    if place not in AwardResult.Place.values:
        raise ValidationError(f"Unknown place {place!r}.")
    result, _ = AwardResult.objects.update_or_create(
        award=award,
        submission=submission,
        defaults={"place": place, "citation": citation.strip(), "confirmed_by": by},
    )
    return result


def _recipients(submission: Submission) -> list[tuple[str, Any]]:
    """(email, User or None) of every author and the contact, once each."""
    found: dict[str, Any] = {}
    for author in submission.authors.all():
        found.setdefault(author.email.strip().lower(), author.user or author.email)
    contact = submission.contact
    found.setdefault(contact.email.strip().lower(), contact)
    return sorted(found.items())


def _queue_result_mails(award: AwardCategory, result: AwardResult) -> int:
    submission = result.submission
    queued = 0
    for email, to in _recipients(submission):
        mail = queue_mail(
            to=to,
            template="award_winner",
            context={
                "award": award,
                "result": result,
                "submission": submission,
                "awards_path": reverse("awards:index"),
            },
            dedupe_key=f"award:{award.pk}:{submission.pk}:{email}",
            submissions=[submission],
        )
        queued += mail is not None
    return queued


NEEDS_A_WINNER = "Confirm at least one winner before announcing."
NEEDS_JURY_SCORES = (
    "The jury has not judged every winner and honourable mention yet: announce "
    "once each has at least one juror's score or rank."
)


def announce_refusal(award: AwardCategory, results: list[AwardResult]) -> str:
    """Why the results cannot be announced yet, or "" (two queries). Never names a
    paper: a conflicted chair may not know it is a result."""
    if not any(r.is_winner for r in results):
        return NEEDS_A_WINNER
    ids = [r.submission_id for r in results]
    judged = set(
        Judgement.objects.filter(award=award, submission_id__in=ids)
        .filter(Q(score__isnull=False) | Q(rank__isnull=False))
        .values_list("submission_id", flat=True)
    )
    if any(pk not in judged for pk in ids):
        return NEEDS_JURY_SCORES
    released = released_submission_ids(ids)
    if any(pk not in released for pk in ids):
        return RESULTS_NOT_RELEASED
    return ""


@transaction.atomic
def announce(award: AwardCategory, *, by: User) -> AwardSettings:
    """Make the results public. Needs at least one winner, a jury score (or rank)
    for every result, and every result's decision released (`announce_refusal`).
    Side effects: `announced_at` is set once; every author of each winner and
    honourable mention gets a mail through the outbox (once, whatever happens)."""
    require_chair(by)
    AwardSettings.objects.for_award(award)  # the row exists, to lock it
    found = AwardSettings.objects.select_for_update().get(award=award)
    found.award = award
    results = list(
        AwardResult.objects.filter(award=award)
        .select_related("submission__contact")
        .prefetch_related("submission__authors__user")
    )
    if refusal := announce_refusal(award, results):
        raise ValidationError(refusal)
    if found.announced_at is None:
        found.announced_at = clock.now()
        found.save(update_fields=["announced_at", "updated_at"])
    for result in results:
        _queue_result_mails(award, result)
    return found


@transaction.atomic
def publish_leaderboard(
    award: AwardCategory, *, is_published: bool, by: User
) -> AwardSettings:
    """Make the prize's leaderboard public (or private again). Publishing is
    refused before the decisions are released (awards.publication); making it
    private again is always allowed."""
    require_chair(by)
    found = AwardSettings.objects.for_award(award)
    if is_published and not found.accepts_entries:
        raise ValidationError(f"{award.name} takes no entries: it has no leaderboard.")
    if is_published and (reason := publish_refusal(award.conference_id)):
        raise ValidationError(reason)
    found.leaderboard_published = is_published
    found.save(update_fields=["leaderboard_published", "updated_at"])
    return found

"""Writes of the awards app: categories and juries, prize entries, shortlists,
judging, results, the announcement and leaderboard publication.

Every function names its side effects. Mails go through the outbox (`queue_mail`)
in the caller's transaction with the key `award:<award pk>:<submission pk>:<email>`,
so announcing twice mails nobody twice.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from awards import units
from awards.models import (
    AwardResult,
    AwardSettings,
    Entry,
    Judgement,
    Kind,
    ShortlistChange,
)
from awards.publication import (
    RESULTS_NOT_RELEASED,
    publish_refusal,
    released_submission_ids,
)
from awards.queries import is_eligible, jury_shortlist, shortlist
from awards.rules import is_juror
from haet import clock
from haet.models import AwardCategory
from haet.outbox.services import queue_mail
from haet.rules import is_chair
from reviews.conflicts import is_conflicted
from submissions.models import Submission
from submissions.rules import is_submission_author

CATEGORY_FIELDS = ("name", "description", "sponsor", "amount", "details", "order")
SETTINGS_FIELDS = (
    "kind",
    "eligibility",
    "rules",
    "metric",
    "judging",
    "entry_deadline",
)


def _require_chair(user) -> None:
    if not is_chair(user):
        raise PermissionDenied("Only chairs manage awards.")


# --- categories and juries ---------------------------------------------------------
@transaction.atomic
def save_award(
    award: AwardCategory | None,
    *,
    conference,
    category: dict[str, Any],
    settings: dict[str, Any],
    by,
) -> AwardSettings:
    """Create or change a category (what the call shows) and its settings.
    Side effects: none beyond the two rows."""
    _require_chair(by)
    if award is None:
        award = AwardCategory(conference=conference)
    for name in CATEGORY_FIELDS:
        if name in category:
            setattr(award, name, category[name])
    award.full_clean()
    award.save()
    found = AwardSettings.objects.for_award(award)
    for name in SETTINGS_FIELDS:
        if name in settings:
            setattr(found, name, settings[name])
    found.full_clean()
    found.save()
    return found


@transaction.atomic
def appoint_jury(award: AwardCategory, jurors: Iterable, *, by) -> AwardSettings:
    """The award's jury becomes exactly `jurors` (any accounts). Judgements of
    jurors who leave stay stored but no longer count.
    Side effects: one mail to each juror the first time they join this jury
    (key `jury:<award pk>:<user pk>`)."""
    _require_chair(by)
    found = AwardSettings.objects.for_award(award)
    jurors = list(jurors)
    before = set(found.jury.values_list("pk", flat=True))
    found.jury.set(jurors)
    jury_path = reverse("awards:jury")
    for juror in jurors:
        if juror.pk in before:
            continue
        queue_mail(
            to=juror,
            template="award_jury",
            context={
                "award": award,
                "juror_name": juror.display_name,
                "jury_path": jury_path,
            },
            dedupe_key=f"jury:{award.pk}:{juror.pk}",
        )
    return found


# --- prize entries -----------------------------------------------------------------
ENTRY_FIELDS = (
    "task",
    "dataset",
    "target_metric",
    "target_value",
    "hardware_kind",
    "hardware_model",
    "throughput",
    "measurement",
    "node_count",
    "accelerators_per_node",
    "accelerator_model",
    "interconnect",
    "software_stack",
    "artifact_url",
    "code_url",
    "code_commit",
    "logs_url",
    "notes",
)
# What each prize needs, beyond the task, dataset and target.
REQUIRED = {
    Kind.ENERGY_HARDWARE: {
        "hardware_kind": "the kind of hardware",
        "hardware_model": "the process node or device model",
        "energy": "the energy to reach the target",
        "power": "the average power",
        "throughput": "the throughput",
        "measurement": "the measurement method",
    },
    Kind.FASTEST_TRAINING: {
        "time": "the wall-clock time to reach the target",
        "node_count": "the number of nodes",
        "accelerators_per_node": "the accelerators per node",
        "accelerator_model": "the accelerator model",
        "interconnect": "the interconnect",
        "software_stack": "the software stack",
        "code_url": "the code URL",
        "code_commit": "the commit",
        "logs_url": "the training logs",
    },
}


def entry_closes_at(award: AwardCategory) -> datetime | None:
    return AwardSettings.objects.for_award(award).entry_closes_at


def check_can_enter(award: AwardCategory, submission: Submission, *, by) -> None:
    """PermissionDenied for anyone but the paper's authors; ValidationError, with
    the reason, when the award takes no entries, the paper is not eligible, or
    the entry deadline has passed (entries are then frozen)."""
    if not is_submission_author(by, submission):
        raise PermissionDenied("Only the paper's authors enter it for a prize.")
    found = AwardSettings.objects.for_award(award)
    if not found.accepts_entries:
        raise ValidationError(f"{award.name} takes no entries.")
    if found.entry_closes_at is None:
        raise ValidationError(
            f"Entries for {award.name} open once the chairs set the entry deadline."
        )
    if not found.entries_open(clock.now()):
        raise ValidationError(
            f"The entry deadline for {award.name} has passed: entries are frozen."
        )
    if not is_eligible(award, submission):
        raise ValidationError(
            f"#{submission.number} is not eligible for {award.name}: "
            f"{found.get_eligibility_display().lower()} only."
        )


def _quantity(data: dict, kind: str, errors: dict) -> tuple[float | None, Any, str]:
    """(normalized, value, unit) of an optional quantity in `data`."""
    value, unit = data.get(f"{kind}_value"), data.get(f"{kind}_unit") or ""
    if value in (None, ""):
        return None, None, ""
    try:
        unit = units.canonical_unit(unit, kind)
        return units.normalize(value, unit, kind), float(value), unit
    except ValidationError as error:
        errors[f"{kind}_value"] = error.messages
        return None, None, ""


def clean_entry(kind: str, data: dict) -> dict[str, Any]:
    """Normalized entry fields from what the author typed; a ValidationError
    (per field) for anything missing or impossible."""
    errors: dict[str, list[str]] = {}
    fields = {name: data.get(name) for name in ENTRY_FIELDS if name in data}
    for name in ("task", "dataset", "target_metric"):
        if not (data.get(name) or "").strip():
            errors[name] = ["Required."]
    target = data.get("target_value")
    if target is None or target == "":
        errors["target_value"] = ["Required: the quality reached, e.g. 93.0."]
    energy_j, energy_value, energy_unit = _quantity(data, "energy", errors)
    time_s, time_value, time_unit = _quantity(data, "time", errors)
    power_w, power_value, power_unit = _quantity(data, "power", errors)
    fields.update(
        energy_j=energy_j,
        energy_value=energy_value,
        energy_unit=energy_unit,
        time_s=time_s,
        time_value=time_value,
        time_unit=time_unit,
        power_w=power_w,
        power_value=power_value,
        power_unit=power_unit,
    )
    throughput = data.get("throughput")
    if throughput is not None and throughput != "" and float(throughput) <= 0:
        errors["throughput"] = ["The throughput must be positive (samples/s)."]
    for name in ("node_count", "accelerators_per_node"):
        if data.get(name) is not None and data.get(name) != "" and data[name] < 1:
            errors[name] = ["At least 1."]
    commit = (data.get("code_commit") or "").strip().lower()
    fields["code_commit"] = commit
    if commit and not (
        7 <= len(commit) <= 40 and all(c in "0123456789abcdef" for c in commit)
    ):
        errors["code_commit"] = ["A git commit hash: 7 to 40 hexadecimal digits."]
    for name, label in REQUIRED.get(kind, {}).items():
        key = f"{name}_value" if name in ("energy", "time", "power") else name
        if key in errors:
            continue
        value = data.get(key)
        if value is None or value == "":
            errors[key] = [f"Required for this prize: {label}."]
    if not errors:
        try:
            units.check_consistency(energy_j=energy_j, power_w=power_w, time_s=time_s)
        except ValidationError as error:
            errors["__all__"] = error.messages
    if errors:
        raise ValidationError(errors)
    fields["accelerator_hours"] = derived_accelerator_hours(
        fields.get("node_count"), fields.get("accelerators_per_node"), time_s
    )
    return fields


def derived_accelerator_hours(
    node_count: int | None, accelerators_per_node: int | None, time_s: float | None
) -> float | None:
    """Total accelerator-hours: nodes x accelerators per node x hours."""
    if not (node_count and accelerators_per_node and time_s):
        return None
    return node_count * accelerators_per_node * time_s / 3600


@transaction.atomic
def save_entry(
    award: AwardCategory, submission: Submission, *, data: dict, by
) -> Entry:
    """Enter the paper for the prize or change its entry, until the deadline.
    A changed entry loses the jury's verification. Side effects: none."""
    check_can_enter(award, submission, by=by)
    found = AwardSettings.objects.for_award(award)
    fields = clean_entry(found.kind, data)
    entry = (
        Entry.objects.select_for_update()
        .filter(award=award, submission=submission)
        .first()
    )
    if entry is None:
        entry = Entry(award=award, submission=submission, entered_by=by)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.verified_at = None
    entry.verified_by = None
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def withdraw_entry(entry: Entry, *, by) -> None:
    """Take the entry back, until the deadline."""
    check_can_enter(entry.award, entry.submission, by=by)
    entry.delete()


@transaction.atomic
def verify_entry(entry: Entry, *, is_verified: bool, by) -> Entry:
    """A juror (not conflicted) or a chair marks the evidence checked, or not."""
    award = entry.award
    if not (is_chair(by) or is_juror(by, award)) or is_conflicted(by, entry.submission):
        raise PermissionDenied("Only the jury verifies entries.")
    entry.verified_at = clock.now() if is_verified else None
    entry.verified_by = by if is_verified else None
    entry.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return entry


# --- shortlists --------------------------------------------------------------------
@transaction.atomic
def change_shortlist(
    award: AwardCategory, submission: Submission, *, action: str, by
) -> ShortlistChange:
    """A chair adds an eligible paper to the shortlist or removes one."""
    _require_chair(by)
    if action not in ShortlistChange.Action.values:
        raise ValidationError(f"Unknown shortlist action {action!r}.")
    if action == ShortlistChange.Action.ADD and not is_eligible(award, submission):
        raise ValidationError(f"#{submission.number} is not eligible for {award}.")
    change, _ = ShortlistChange.objects.update_or_create(
        award=award,
        submission=submission,
        defaults={"action": action, "changed_by": by, "changed_at": clock.now()},
    )
    return change


# --- judging -----------------------------------------------------------------------
def _check_juror(award: AwardCategory, submission_ids: Iterable[int], juror) -> None:
    if not is_juror(juror, award):
        raise PermissionDenied("Only the award's jurors judge it.")
    if AwardSettings.objects.for_award(award).is_announced:
        raise ValidationError("The award is announced: judging is closed.")
    visible = {c.submission_id for c in jury_shortlist(award, juror)}
    if not set(submission_ids) <= visible:
        # Not shortlisted, or conflicted: the same answer for both.
        raise PermissionDenied("This paper is not on your shortlist.")


@transaction.atomic
def score_submission(
    award: AwardCategory,
    submission: Submission,
    *,
    score: int | None,
    comment: str = "",
    by,
) -> Judgement:
    """A juror scores (1-10) and comments on a shortlisted paper they are not
    conflicted with. Scoring again replaces the score."""
    _check_juror(award, [submission.pk], by)
    judgement, _ = Judgement.objects.get_or_create(
        award=award, submission=submission, juror=by
    )
    judgement.score = score
    judgement.comment = comment.strip()
    judgement.full_clean()
    judgement.save()
    return judgement


@transaction.atomic
def rank_submissions(
    award: AwardCategory,
    ranks: dict[int, int | None],
    *,
    comments: dict[int, str] | None = None,
    by,
) -> list[Judgement]:
    """A juror's ballot: submission id -> rank (1 = best; None = not ranked).
    Ranks must be 1, 2, ... without gaps or repeats. Replaces the juror's ranks."""
    comments = comments or {}
    _check_juror(award, set(ranks) | set(comments), by)
    given = sorted(r for r in ranks.values() if r is not None)
    if given != list(range(1, len(given) + 1)):
        raise ValidationError(
            "Rank the papers 1, 2, 3 … with each rank used once (leave a paper "
            "blank to not rank it)."
        )
    Judgement.objects.filter(award=award, juror=by).update(rank=None)
    saved = []
    for submission_id in sorted(set(ranks) | set(comments)):
        judgement, _ = Judgement.objects.get_or_create(
            award=award, submission_id=submission_id, juror=by
        )
        judgement.rank = ranks.get(submission_id)
        if submission_id in comments:
            judgement.comment = comments[submission_id].strip()
        judgement.save()
        saved.append(judgement)
    return saved


# --- results and announcement ------------------------------------------------------
@transaction.atomic
def set_result(
    award: AwardCategory,
    submission: Submission,
    *,
    place: str | None,
    citation: str = "",
    by,
) -> AwardResult | None:
    """A chair confirms a winner or honourable mention (None: neither). Only
    shortlisted papers the chair is not conflicted with; frozen once announced."""
    _require_chair(by)
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


@transaction.atomic
def announce(award: AwardCategory, *, by) -> AwardSettings:
    """Make the results public. Needs at least one winner, and every result's
    decision released (awards.publication).
    Side effects: `announced_at` is set once; every author of each winner and
    honourable mention gets a mail through the outbox (once, whatever happens)."""
    _require_chair(by)
    AwardSettings.objects.for_award(award)  # the row exists, to lock it
    found = AwardSettings.objects.select_for_update().get(award=award)
    found.award = award
    results = list(
        AwardResult.objects.filter(award=award)
        .select_related("submission__contact")
        .prefetch_related("submission__authors__user")
    )
    if not any(r.is_winner for r in results):
        raise ValidationError("Confirm at least one winner before announcing.")
    released = released_submission_ids([r.submission_id for r in results])
    if any(r.submission_id not in released for r in results):
        # Not which paper: a conflicted chair may not know it is a result.
        raise ValidationError(RESULTS_NOT_RELEASED)
    if found.announced_at is None:
        found.announced_at = clock.now()
        found.save(update_fields=["announced_at", "updated_at"])
    for result in results:
        _queue_result_mails(award, result)
    return found


@transaction.atomic
def publish_leaderboard(
    award: AwardCategory, *, is_published: bool, by
) -> AwardSettings:
    """Make the prize's leaderboard public (or private again). Publishing is
    refused before the decisions are released (awards.publication); making it
    private again is always allowed."""
    _require_chair(by)
    found = AwardSettings.objects.for_award(award)
    if is_published and not found.accepts_entries:
        raise ValidationError(f"{award.name} takes no entries: it has no leaderboard.")
    if is_published and (reason := publish_refusal(award.conference_id)):
        raise ValidationError(reason)
    found.leaderboard_published = is_published
    found.save(update_fields=["leaderboard_published", "updated_at"])
    return found

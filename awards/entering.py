"""Prize entries: who may enter, what each prize needs, saving, withdrawing and
verifying an entry.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from awards import units
from awards.entry_links import mark_answer, selects
from awards.models import AwardSettings, Entry, Kind
from awards.queries import is_eligible
from awards.rules import is_juror
from haet import clock
from haet.models import AwardCategory, User
from haet.rules import is_chair
from reviews.conflicts import is_conflicted
from submissions.fields.listeners import AnswerChange
from submissions.models import Submission
from submissions.rules import is_submission_author

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
REQUIRED: dict[str, dict[str, str]] = {
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


def check_can_enter(award: AwardCategory, submission: Submission, *, by: User) -> None:
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
    award: AwardCategory, submission: Submission, *, data: dict, by: User
) -> Entry:
    """Enter the paper for the prize or change its entry, until the deadline.
    A changed entry loses the jury's verification. Side effects: the linked
    submission field answer (if any) says the paper enters the prize."""
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
    mark_answer(found, submission, entered=True, by=by)
    return entry


@transaction.atomic
def withdraw_entry(entry: Entry, *, by: User) -> None:
    """Take the entry back, until the deadline. Side effects: the linked
    submission field answer (if any) no longer enters the prize."""
    check_can_enter(entry.award, entry.submission, by=by)
    entry.delete()
    found = AwardSettings.objects.for_award(entry.award)
    mark_answer(found, entry.submission, entered=False, by=by)


def withdraw_unselected(
    submission: Submission, changes: list[AnswerChange], by: User
) -> None:
    """Answer listener (submissions.fields.listeners): an answer that no longer
    enters a linked prize withdraws the submission's entry for it; refused
    (ValidationError, nothing saved) once the entry is frozen by its deadline."""
    changed = {change.field.pk: change for change in changes}
    linked = AwardSettings.objects.filter(entry_field__in=list(changed))
    for found in linked.select_related("award", "entry_field"):
        change = changed.get(found.entry_field_id or 0)
        if change is None:
            continue
        if not selects(found, change.before) or selects(found, change.after):
            continue
        entry = Entry.objects.filter(award=found.award, submission=submission).first()
        if entry is None:
            continue
        closes_at = found.entry_closes_at
        if closes_at is not None and clock.now() >= closes_at:
            raise ValidationError(
                f"{change.field.label}: the entry for {found.award.name} is frozen "
                "since its deadline; the answer cannot withdraw it."
            )
        entry.delete()


@transaction.atomic
def verify_entry(entry: Entry, *, is_verified: bool, by: User) -> Entry:
    """A juror (not conflicted) or a chair marks the evidence checked, or not."""
    award = entry.award
    if not (is_chair(by) or is_juror(by, award)) or is_conflicted(by, entry.submission):
        raise PermissionDenied("Only the jury verifies entries.")
    entry.verified_at = clock.now() if is_verified else None
    entry.verified_by = by if is_verified else None
    entry.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return entry

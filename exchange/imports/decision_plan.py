"""Imported decisions: each submission's decision as the other system wrote it
("Accept", "ACCEPT (poster)", "Desk reject", "Rejected", a status "accepted")
becomes one of ours, unreleased: the authors see nothing and get no mail until
the chairs release the decisions on the dashboard, as for a decision made here.

Reading a decision (`outcome_for`): the chair's decision map first ("their
decision = our outcome", where our outcome is a label such as "Accept (oral)"
or "undecided"); else "desk" with "reject" is a desk reject, "reject" a reject,
"accept" with "oral", "talk" or "spotlight" an oral, with "poster" a poster,
and a bare "accept" a poster (said, with the line that maps it otherwise);
"no decision", "pending" and the like are no decision. Anything else ("major
revision") is left undecided with the map line to write.

A decision made here is never replaced: the dry run says it is kept. A
submission the importing chair is conflicted with is left to another chair,
as on the dashboard (`decisions.deciding` refuses it). Importing the same file
again changes nothing."""

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from decisions.deciding import decide_many
from decisions.models import DECISION_LABELS, Decision, Outcome
from exchange.imports.records import NO_DECISION, Record
from exchange.models import ImportedSubmission
from haet.models import User
from submissions.models import Submission

SET, UNCHANGED, SKIP = "set", "unchanged", "skip"
# Their decisions that say none was made, besides NO_DECISION.
NOT_DECIDED = NO_DECISION | {"submitted", "withdrawn", "deleted", "undecided"}
ORAL_WORDS = {"oral", "talk", "spotlight", "contributed"}
OUR_OUTCOMES = {label.lower(): value for value, label in Outcome.choices} | {
    value: value for value in Outcome.values
}


def parse_decision_map(text: str) -> tuple[dict[str, str | None], list[str]]:
    """Lines "their decision = our outcome" ({their decision, lower case: our
    outcome, or None for "undecided"}) and the lines that are not."""
    mapping: dict[str, str | None] = {}
    bad = []
    for line in text.splitlines():
        if not line.strip():
            continue
        theirs, equals, ours = line.rpartition("=")
        key, value = theirs.strip().lower(), ours.strip().lower()
        if not equals or not key:
            bad.append(line.strip())
        elif value in OUR_OUTCOMES:
            mapping[key] = OUR_OUTCOMES[value]
        elif value in {"undecided", "none", "no decision", ""}:
            mapping[key] = None
        else:
            bad.append(line.strip())
    return mapping, bad


def outcome_for(
    written: str, mapping: dict[str, str | None] | None = None
) -> tuple[str | None, str]:
    """(our outcome, or None to leave the submission undecided; what the dry
    run says about it, or "")."""
    key = " ".join(written.split()).lower()
    if not key:
        return None, ""
    if mapping and key in mapping:
        return mapping[key], ""
    if key in NOT_DECIDED:
        return None, ""
    words = set(re.findall(r"[a-z]+", key))
    rejected = bool(words & {"reject", "rejected", "rejection"})
    accepted = bool(words & {"accept", "accepted", "acceptance"})
    if "not" in words or rejected == accepted:
        return None, (
            f"“{written}” is not a decision this site knows: left undecided. Map "
            f"it with a line “{written} = Accept (poster)” (or another outcome)."
        )
    if rejected:
        return (Outcome.DESK_REJECT if "desk" in words else Outcome.REJECT), ""
    if words & ORAL_WORDS:
        return Outcome.ACCEPT_ORAL, ""
    if "poster" in words:
        return Outcome.ACCEPT_POSTER, ""
    return Outcome.ACCEPT_POSTER, (
        f"“{written}” says no kind of acceptance: set as a poster. For talks, map "
        f"it with a line “{written} = Accept (oral)”."
    )


@dataclass
class DecisionStep:
    source_id: str  # the submission in the other system
    written: str  # their decision, as written
    outcome: str = ""
    action: str = SET
    reasons: list[str] = field(default_factory=list)
    number: int | None = None  # an existing submission
    is_hidden: bool = False  # one the viewing chair is conflicted with

    @property
    def label(self) -> str:
        return DECISION_LABELS.get(self.outcome, "")


def plan_decisions(
    records: list[Record],
    *,
    mapping: dict[str, str | None] | None,
    submissions: dict[str, Submission | None],
    hidden_ids: frozenset[int] = frozenset(),
) -> list[DecisionStep]:
    """A step for each record that carries a decision. `submissions`: {their
    submission id: the existing submission, or None if it is to be created}
    for the submissions the import creates or keeps. Writes nothing; one query."""
    existing = [s.pk for s in submissions.values() if s is not None]
    here = {
        d.submission_id: d for d in Decision.objects.filter(submission_id__in=existing)
    }
    steps = []
    for record in records:
        outcome, why = outcome_for(record.decision, mapping)
        if outcome is None and not why:
            continue  # no decision in the file: nothing to say
        step = DecisionStep(record.source_id, record.decision, outcome or "")
        steps.append(step)
        if record.source_id not in submissions:
            step.action = SKIP
            step.reasons.append("The submission is skipped.")
            continue
        submission = submissions[record.source_id]
        if submission is not None:
            step.number = submission.number
            step.is_hidden = submission.pk in hidden_ids
        if step.is_hidden:
            step.action = SKIP
            step.reasons.append("A submission you are conflicted with: not shown.")
            continue
        if why:
            step.reasons.append(why)
        if outcome is None:
            step.action = SKIP
        elif record.is_withdrawn:
            step.action = SKIP
            step.reasons.append("The submission is withdrawn.")
        elif submission is not None and submission.pk in here:
            current = here[submission.pk]
            if current.outcome == outcome:
                step.action = UNCHANGED
            else:
                step.action = SKIP
                step.reasons.append(
                    f"Decided here as {current.get_outcome_display()}: kept "
                    "(change it on the decisions dashboard)."
                )
    return steps


@dataclass
class DecisionResult:
    set: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # why, one a decision
    # Submissions the importing chair turned out to be conflicted with, counted
    # and never named: another chair decides them.
    left_to_others: int = 0

    def summary(self) -> str:
        line = (
            f"Decisions: {self.set} set (not released: the authors see them when "
            f"you release the decisions), {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped."
        )
        if self.left_to_others:
            line += (
                f" {self.left_to_others} left to a chair without a conflict with "
                "the submission."
            )
        return line


def desk_reject_reason(written: str, *, source: str) -> str:
    label = dict(ImportedSubmission.Source.choices)[source]
    return f"Imported from {label}: “{written}”."


def apply_decisions(
    steps: list[DecisionStep], *, source: str, by: User
) -> DecisionResult:
    """Runs inside `applying.apply_plan`'s transaction, after the submissions
    and their authors (so the conflict rule sees them). Side effects: the
    decisions and their log, one bulk id for the whole import; no mail."""
    result = DecisionResult(
        unchanged=sum(1 for s in steps if s.action == UNCHANGED),
        skipped=[
            f"{s.source_id}: {' '.join(s.reasons)}" for s in steps if s.action == SKIP
        ],
    )
    todo = [s for s in steps if s.action == SET]
    by_source = {
        row.source_id: row.submission
        for row in ImportedSubmission.objects.filter(
            source=source, source_id__in={s.source_id for s in todo}
        ).select_related("submission")
    }
    bulk_id = uuid.uuid4()
    for step in todo:
        submission = by_source.get(step.source_id)
        if submission is None:
            result.skipped.append(f"{step.source_id}: the submission is gone.")
            continue
        try:
            decide_many(
                [submission],
                step.outcome,
                reason=desk_reject_reason(step.written, source=source),
                by=by,
                bulk_id=bulk_id,
            )
        except PermissionDenied:
            result.left_to_others += 1
            continue
        except ValidationError as refused:
            result.skipped.append(f"{step.source_id}: {' '.join(refused.messages)}")
            continue
        result.set += 1
    return result

"""The dry run as lines of text (the command prints them; the page draws the
same plan as tables)."""

from typing import Any

from exchange.imports.planning import Plan
from haet.wording import counted

LABELS = {
    "create": "create",
    "update": "update",
    "unchanged": "unchanged",
    "skip": "skip",
}


def plan_lines(plan: Plan) -> list[str]:
    counts = plan.counts
    lines = [
        f"{plan.source}: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['unchanged']} unchanged, {counts['skip']} skipped; "
        f"{counted(plan.invitation_count, 'author')} to invite."
    ]
    lines += [f"! {problem}" for problem in plan.problems]
    for name, ids in sorted(plan.unknown_topics.items()):
        lines.append(
            f"? Unknown topic “{name}” (in {', '.join(ids[:10])}): give --topic-map "
            f"a line “{name} = <a topic of this conference>”."
        )
    for step in plan.steps:
        where = f" → #{step.number}" if step.number else ""
        lines.append(
            f"{LABELS[step.action]:>9} {step.record.source_id}{where}: "
            f"{step.record.title[:70]}"
        )
        lines += [f"            {reason}" for reason in step.reasons]
    lines += _review_lines(
        "Reviews",
        "review",
        [(step, step.review) for step in plan.reviews],
        ["create", "unchanged", "skip"],
    )
    if plan.review_fields:
        lines.append("Review fields:")
        lines += [f"            {line}" for line in plan.review_fields]
    lines += _review_lines(
        "Meta-reviews",
        "meta-review",
        [(step, step.meta_review) for step in plan.meta_reviews],
        ["create", "update", "unchanged", "skip"],
    )
    lines += _decision_lines(plan)
    return lines


def _decision_lines(plan: Plan) -> list[str]:
    if not plan.decisions:
        return []
    counts = {a: sum(1 for d in plan.decisions if d.action == a) for a in DECIDED}
    lines = [
        "Decisions (not released): "
        + ", ".join(f"{counts[a]} {DECIDED[a]}" for a in DECIDED)
        + "."
    ]
    for step in plan.decisions:
        where = f" → #{step.number}" if step.number and not step.is_hidden else ""
        what = "" if step.is_hidden else f": “{step.written}” → {step.label or '—'}"
        lines.append(f"{step.action:>9} decision of {step.source_id}{where}{what}")
        lines += [f"            {reason}" for reason in step.reasons]
    return lines


DECIDED = {"set": "to set", "unchanged": "unchanged", "skip": "skipped"}
COUNTED = {
    "create": "to create",
    "update": "to update",
    "unchanged": "unchanged",
    "skip": "skipped",
}


def _review_lines(
    title: str, noun: str, steps: list[tuple[Any, Any]], actions: list[str]
) -> list[str]:
    """A count line, then a line per (step, imported review or meta-review) with
    its reasons; the writer is named, and the number shown, only where the chair
    may see them."""
    if not steps:
        return []
    counts = {a: sum(1 for step, _ in steps if step.action == a) for a in actions}
    lines = [
        f"{title}: " + ", ".join(f"{counts[a]} {COUNTED[a]}" for a in actions) + "."
    ]
    for step, record in steps:
        where = f" → #{step.number}" if step.number and not step.is_hidden else ""
        who = "" if step.is_hidden else f" by {record.name}"
        lines.append(
            f"{LABELS[step.action]:>9} {noun} {record.source_id} of "
            f"{record.submission_id}{where}{who}"
        )
        lines += [f"            {reason}" for reason in step.reasons]
    return lines

"""The dry run as lines of text (the command prints them; the page draws the
same plan as tables)."""

from exchange.imports.planning import Plan

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
        f"{plan.invitation_count} authors to invite."
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
    if plan.reviews:
        counts = {a: sum(1 for r in plan.reviews if r.action == a) for a in LABELS}
        lines.append(
            f"Reviews: {counts['create']} to create, {counts['unchanged']} unchanged, "
            f"{counts['skip']} skipped."
        )
    for review in plan.reviews:
        where = f" → #{review.number}" if review.number and not review.is_hidden else ""
        who = "" if review.is_hidden else f" by {review.review.name}"
        lines.append(
            f"{LABELS[review.action]:>9} review {review.review.source_id} of "
            f"{review.review.submission_id}{where}{who}"
        )
        lines += [f"            {reason}" for reason in review.reasons]
    if plan.meta_reviews:
        counts = {a: sum(1 for m in plan.meta_reviews if m.action == a) for a in LABELS}
        lines.append(
            f"Meta-reviews: {counts['create']} to create, {counts['update']} to "
            f"update, {counts['unchanged']} unchanged, {counts['skip']} skipped."
        )
    for meta in plan.meta_reviews:
        where = f" → #{meta.number}" if meta.number and not meta.is_hidden else ""
        who = "" if meta.is_hidden else f" by {meta.meta_review.name}"
        lines.append(
            f"{LABELS[meta.action]:>9} meta-review {meta.meta_review.source_id} of "
            f"{meta.meta_review.submission_id}{where}{who}"
        )
        lines += [f"            {reason}" for reason in meta.reasons]
    return lines

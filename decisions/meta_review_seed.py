"""Demo meta-reviews for `manage.py seed_haet2022 --stage decision|over`: the
area chairs wrote one for most decided submissions (always for the demo
author's, so they read it at "over"); the chairs require them, so the
dashboard flags the rest. Idempotent."""

from datetime import timedelta
from random import Random
from typing import Any

from decisions.models import Decision, MetaReview, MetaReviewSettings
from haet.clock import parse_instant
from haet.models import Conference, User
from haet.seed import STAGE_NOW

TEXTS = [
    "The reviewers agree that the problem matters for efficient training on "
    "real hardware. The discussion settled the main concern about the baseline; "
    "please add the missing ablation in the final version.",
    "The reviewers found the idea interesting but the evaluation too narrow: a "
    "single model and one accelerator do not support the general claims.",
    "A clear, well-executed study. The reviewers ask for energy numbers measured "
    "on the device rather than estimated.",
]


def seed_meta_reviews(
    sender: object,
    *,
    conference: Conference,
    stage: str,
    rng: Random,
    accounts: dict[str, User],
    stdout: Any,
    **_: Any,
) -> None:
    """Receiver of haet.signals.seed_demo (after the decisions)."""
    if stage not in ("decision", "over") or accounts.get("chair") is None:
        return
    MetaReviewSettings.objects.filter(conference=conference).update(is_required=True)
    MetaReviewSettings.objects.get_or_create(
        conference=conference, defaults={"is_required": True}
    )
    # Written once: a second run would draw again and write the ones left missing.
    if MetaReview.objects.filter(submission__conference=conference).exists():
        stdout.write("Meta-reviews: 0 written.")
        return
    author = accounts.get("author")
    written_at = parse_instant(STAGE_NOW["decision"]) - timedelta(days=2)
    created = 0
    for decision in (
        Decision.objects.filter(submission__conference=conference)
        .select_related("submission__area_chair_assignment__area_chair")
        .order_by("submission__number")
    ):
        submission = decision.submission
        is_authors = author is not None and submission.contact_id == author.pk
        if not is_authors and rng.random() < 0.25:
            continue  # still missing: the dashboard flags it
        found = getattr(submission, "area_chair_assignment", None)
        writer = found.area_chair if found else accounts["chair"]
        _meta, is_new = MetaReview.objects.get_or_create(
            submission=submission,
            defaults={
                "to_authors": rng.choice(TEXTS),
                "note_to_chairs": "Borderline; I lean towards the majority.",
                "written_by": writer,
                "written_at": written_at,
            },
        )
        created += is_new
    stdout.write(f"Meta-reviews: {created} written.")

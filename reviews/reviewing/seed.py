"""Demo reviews for `seed_haet2022 --reviews`: written through `save_review`, so the
demo's reviews, nominations and statistics are exactly what reviewers would make."""

from haet.clock import parse_instant
from haet.models import AwardCategory
from haet.seed import STAGE_NOW
from reviews.models import Assignment, ReviewForm, ReviewQuestion

Kind = ReviewQuestion.Kind

STRENGTHS = [
    "The energy measurements are careful and the baselines are strong.",
    "A clear method that is easy to reproduce on commodity hardware.",
    "The memory savings are large and the accuracy loss is small.",
    "Honest discussion of limitations and a useful open-source release.",
]
WEAKNESSES = [
    "The evaluation covers a single dataset; results on a second task would help.",
    "Energy is estimated from a model rather than measured on the device.",
    "The comparison with recent low-precision training methods is missing.",
    "Some implementation details needed to reproduce the timings are unclear.",
]
# How much of the reviewing is done at each stage.
SHARE_DONE = {"cfp": 0.0, "review": 0.5, "decision": 1.0, "over": 1.0}


def seed_demo_reviews(sender, *, conference, stage, reviews, rng, stdout, **_):
    """Receiver of haet.signals.seed_demo; connected after the assignment seed."""
    from reviews.reviewing.services import save_review

    share = SHARE_DONE[stage]
    if not reviews or share == 0:
        return
    questions = list(ReviewForm.objects.for_conference(conference).questions.all())
    award_ids = list(
        AwardCategory.objects.filter(conference=conference).values_list("pk", flat=True)
    )
    pending = list(
        Assignment.objects.filter(review__isnull=True)
        .select_related("submission", "reviewer")
        .order_by("submission__number", "pseudonym_index")
    )
    # Reviews were written before the review deadline, whatever the stage.
    at = min(parse_instant(STAGE_NOW["review"]), parse_instant(STAGE_NOW[stage]))
    written = 0
    for assignment in pending:
        if rng.random() >= share:
            continue
        quality = rng.gauss(0.3, 1.3)  # a paper-independent reviewer mood, roughly
        answers = {}
        for question in questions:
            if question.kind == Kind.SCORE:
                answers[question.key] = max(-3, min(3, round(quality)))
            elif question.kind == Kind.CONFIDENCE:
                answers[question.key] = rng.choice([2, 3, 3, 4, 4, 5])
            elif question.kind == Kind.CHOICE and question.choices:
                answers[question.key] = rng.choice(question.choices)[0]
            elif question.kind == Kind.NOMINATIONS:
                answers[question.key] = (
                    [rng.choice(award_ids)] if award_ids and quality > 2 else []
                )
            elif question.key == "strengths":
                answers[question.key] = rng.choice(STRENGTHS)
            elif question.key == "weaknesses":
                answers[question.key] = rng.choice(WEAKNESSES)
            else:
                answers[question.key] = (
                    f"Review of #{assignment.submission.number}: "
                    f"{rng.choice(STRENGTHS)} {rng.choice(WEAKNESSES)}"
                )
        save_review(assignment, answers, by=assignment.reviewer, submit=True, at=at)
        written += 1
    stdout.write(f"Demo reviews: {written} written.")

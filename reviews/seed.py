"""Demo reviewers and reviews for `manage.py seed_haet2022 --reviewers M --stage ...`.

`seed_reviews`: M reviewer accounts with invitations, profiles and bids; from the
review stage on, the solver's assignment, deployed without mails. Idempotent:
existing reviewers, bids and assignments are left alone.

`seed_demo_reviews` (`--reviews`): demo reviews written through `save_review`, so the
demo's reviews, nominations and statistics are exactly what reviewers would make.
"""

import random
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress

from haet.clock import parse_instant
from haet.models import AwardCategory, Topic, User
from haet.seed import DEMO_PASSWORD, STAGE_NOW
from haet.services import set_role
from haet.wording import counted
from reviews.models import (
    Assignment,
    AssignmentRun,
    AuthorResponse,
    Bid,
    Invitation,
    Review,
    ReviewerProfile,
    ReviewForm,
    ReviewQuestion,
    ReviewSettings,
)
from submissions.models import Submission

FIRST = ["Aiko", "Bram", "Carla", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ivo", "Jun"]
LAST = ["Andersen", "Bauer", "Costa", "Dubois", "Eze", "Fischer", "Gupta", "Horvath"]
PLACES = [
    ("Efficient Systems Lab", "esl.example.net"),
    ("Polytechnic of the North", "poly.example.org"),
    ("Institute for Green AI", "greenai.example.net"),
    ("Hardware Research Center", "hwrc.example.net"),
    ("Example University", "uni.example.org"),
]
KEYWORDS = ["sparsity", "FPGA", "quantization", "energy", "edge", "pruning", "analog"]
PHRASES = [
    "low-precision training of transformers with 8-bit floating point",
    "structured pruning and sparsity for convolutional networks on FPGAs",
    "energy models and benchmarks of training on GPUs and accelerators",
    "equilibrium propagation in analog hardware and local learning rules",
    "memory-efficient backpropagation with gradient checkpointing on edge devices",
    "federated few-shot learning on microcontrollers",
    "quantization-aware fine-tuning of language models",
    "optimizers and communication compression for compute clusters",
]


def reviewer_name(n: int) -> str:
    """reviewer<n>@haet.example's name: the same at every stage and seed, and no two
    reviewers share one (the first len(FIRST) * len(LAST) reviewers)."""
    i = n - 1
    return f"{FIRST[i % len(FIRST)]} {LAST[(i + i // len(FIRST)) % len(LAST)]}"


def seed_reviews(sender, *, conference, stage, reviewers, rng, accounts, stdout, **_):
    """Receiver of haet.signals.seed_demo."""
    # The demo accounts all live at haet.example: a demo domain, not an institution.
    review_settings = ReviewSettings.objects.for_conference(conference)
    if "haet.example" not in review_settings.public_domains:
        review_settings.public_mail_domains += "\nhaet.example\n"
        review_settings.save(update_fields=["public_mail_domains", "updated_at"])
    if reviewers <= 0:
        return
    now = parse_instant(STAGE_NOW[stage])
    topics = list(Topic.objects.filter(conference=conference).order_by("order", "pk"))
    people = [accounts["reviewer"]] if "reviewer" in accounts else []
    for n in range(1, reviewers + 1):
        email = f"reviewer{n}@haet.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            place, _ = PLACES[n % len(PLACES)]
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                name=reviewer_name(n),
                affiliation=place,
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
            set_role(user, "reviewer", granted=True)
        people.append(user)
    for user in people:
        Invitation.objects.get_or_create(
            email=user.email,
            defaults={
                "name": user.name,
                "status": Invitation.Status.ACCEPTED,
                "user": user,
                "invited_by": accounts.get("chair"),
                "sent_at": now - timedelta(days=30),
                "answered_at": now - timedelta(days=29),
            },
        )
        profile, created = ReviewerProfile.objects.get_or_create(user=user)
        if created:
            place = next((p for p in PLACES if p[0] == user.affiliation), None)
            profile.keywords = ", ".join(
                rng.sample(
                    [
                        "sparsity",
                        "FPGA",
                        "quantization",
                        "energy",
                        "edge",
                        "pruning",
                        "analog",
                    ],
                    3,
                )
            )
            profile.own_publications = "\n\n".join(rng.sample(PHRASES, 2))
            profile.institution_domains = place[1] if place else ""
            profile.max_assignments = rng.choice([None, None, None, 8])
            profile.completed_at = now - timedelta(days=25)
            profile.save()
            profile.topics.set(rng.sample(topics, min(len(topics), rng.randint(1, 3))))
    if not people:
        return

    from reviews import conflicts
    from reviews.assignment_runs import compute_run, deploy_run

    submissions = list(
        Submission.objects.filter(state=Submission.State.SUBMITTED).order_by("number")
    )
    if submissions and not Bid.objects.exists():
        index = conflicts.ConflictIndex.build(users=people, submissions=submissions)
        values = [v for v in Bid.Value if v != Bid.Value.CONFLICT]
        weights = [2, 3, 4, 1]
        bids = []
        for user in people:
            for submission in rng.sample(submissions, min(len(submissions), 8)):
                if index.is_conflicted(user.pk, submission.pk):
                    continue
                value = rng.choices(values, weights)[0]
                bids.append(
                    Bid(
                        reviewer=user,
                        submission=submission,
                        value=value,
                        updated_at=now,
                    )
                )
        Bid.objects.bulk_create(bids, ignore_conflicts=True)

    if stage == "cfp" or not submissions:
        return
    # Enough room for every submission, with slack for conflicts.
    need = (
        -(-review_settings.reviewers_per_submission * len(submissions) // len(people))
        + 2
    )
    if review_settings.default_max_load < need:
        review_settings.default_max_load = need
        review_settings.save(update_fields=["default_max_load", "updated_at"])
    if AssignmentRun.objects.filter(status=AssignmentRun.Status.DEPLOYED).exists():
        return
    chair = accounts.get("chair")
    run = AssignmentRun.objects.create(created_by=chair, params={"fair": False})
    compute_run(run.pk)
    run.refresh_from_db()
    if run.status == AssignmentRun.Status.DONE:
        created = deploy_run(run, by=chair, notify=False)
        number_pseudonyms(created)
        stdout.write(
            f"Reviews: {counted(len(people), 'reviewer')}, "
            f"{counted(len(created), 'assignment')}."
        )
    else:
        stdout.write(f"Reviews: assignment failed: {run.error}")


def number_pseudonyms(created: list[Assignment]) -> None:
    """Number the demo's pseudonyms the same way on every seed. `deploy_run` numbers
    them in an OS-random order (a pseudonym says nothing about the account); the
    demo keeps that spirit with a generator seeded by the submission's number, so
    "Reviewer 1" of #4 is the same person on every fresh seed."""
    by_submission: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(pk__in=[a.pk for a in created])
        .select_related("submission", "reviewer")
        .order_by("reviewer__email")
    ):
        by_submission.setdefault(assignment.submission_id, []).append(assignment)
    for assignments in by_submission.values():
        indexes = sorted(a.pseudonym_index for a in assignments)
        number = assignments[0].submission.number
        random.Random(f"haet-pseudonyms-{number}").shuffle(assignments)  # noqa: S311
        # Two steps: (submission, pseudonym_index) is unique.
        for assignment in assignments:
            assignment.pseudonym_index += 1000
        Assignment.objects.bulk_update(assignments, ["pseudonym_index"])
        for assignment, index in zip(assignments, indexes, strict=True):
            assignment.pseudonym_index = index
        Assignment.objects.bulk_update(assignments, ["pseudonym_index"])


# --- demo reviews ------------------------------------------------------------------
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
    from reviews.reviewing import save_review

    share = SHARE_DONE[stage]
    if not reviews or share == 0:
        return
    # Written once: a second run would draw other numbers and review more of the
    # assignments left open at the review stage.
    if Review.objects.filter(assignment__submission__conference=conference).exists():
        stdout.write("Demo reviews: 0 written.")
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


# --- the author response (issue 16): shown on at the decision stage only -----------
RESPONSE_TEXT = """We thank the reviewers for their careful reading.

**Baselines.** Reviewer 1 asks for a comparison with recent low-precision training
methods: we added it to the appendix; the speed-up holds at equal accuracy.

**Reproducibility.** The timings were measured on a single accelerator with the
batch sizes listed in the second table; the scripts will be released.
"""


def seed_author_response(sender, *, conference, stage, reviews, stdout, **_):
    """Receiver of haet.signals.seed_demo, after the demo reviews: at the decision
    stage, a response window (4-6 June 2022, closed by then), a response to one
    of author@haet.example's submissions, and a review updated after it."""
    from reviews.responses import (
        save_response_draft,
        submit_response,
        update_response_window,
    )
    from reviews.reviewing import save_review

    if stage != "decision" or not reviews:
        return
    # Done once: a second run would answer the demo author's next submission.
    if AuthorResponse.objects.filter(submission__conference=conference).exists():
        return
    chair = User.objects.filter(groups__name="chairs").order_by("pk").first()
    author = User.objects.filter(email="author@haet.example").first()
    if chair is None or author is None:
        return
    update_response_window(
        conference,
        is_enabled=True,
        opens_at=datetime(2022, 6, 4, 0, 0, tzinfo=conference.tzinfo),
        last_minute=datetime(2022, 6, 6, 23, 59, tzinfo=conference.tzinfo),
        word_limit=500,
        by=chair,
    )
    submission = (
        Submission.objects.filter(conference=conference, contact=author)
        .filter(assignments__review__state=Review.State.SUBMITTED)
        .exclude(author_response__isnull=False)
        .order_by("number")
        .first()
    )
    if submission is None:
        return
    answered_at = datetime(2022, 6, 5, 10, 0, tzinfo=conference.tzinfo)
    save_response_draft(submission, RESPONSE_TEXT, by=author, at=answered_at)
    submit_response(submission, RESPONSE_TEXT, by=author, at=answered_at)
    review = (
        Review.objects.submitted()
        .filter(assignment__submission=submission)
        .select_related("assignment__reviewer")
        .order_by("assignment__pseudonym_index")
        .first()
    )
    if review is not None:
        answers = {**review.answers}
        for key, value in answers.items():
            if key == "score" and isinstance(value, int):
                answers[key] = min(3, value + 1)
        save_review(
            review.assignment,
            answers,
            by=review.assignment.reviewer,
            at=datetime(2022, 6, 7, 10, 0, tzinfo=conference.tzinfo),
        )
    # Review quality: the chair found a few reviews helpful; the demo reviewer
    # agreed to be listed (the page stays unpublished).
    from reviews.conflicts import is_conflicted
    from reviews.ratings import rate_review, set_listing_consent

    for rated in (
        Review.objects.submitted()
        .select_related("assignment__submission")
        .order_by("pk")[:3]
    ):
        if not is_conflicted(chair, rated.assignment.submission):
            rate_review(rated, is_helpful=True, by=chair)
    demo_reviewer = User.objects.filter(email="reviewer@haet.example").first()
    if demo_reviewer is not None:
        set_listing_consent(demo_reviewer, agrees=True)
    stdout.write(f"Demo author response: on #{submission.number}.")

"""Demo reviewers for `manage.py seed_haet2022 --reviewers M --stage ...`.

M reviewer accounts with invitations, profiles and bids; from the review stage on,
the solver's assignment, deployed without mails. Idempotent: existing reviewers,
bids and assignments are left alone. Reviews themselves are the reviewing side's.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress

from haet.clock import parse_instant
from haet.models import Topic, User
from haet.seed import DEMO_PASSWORD, STAGE_NOW
from haet.services import set_role
from reviews.models import (
    AssignmentRun,
    Bid,
    Invitation,
    ReviewerProfile,
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


def seed_reviews(sender, *, conference, stage, reviewers, rng, accounts, stdout, **_):
    """Receiver of haet.signals.seed_demo."""
    # The demo accounts all live at haet.example: a demo domain, not an institution.
    settings = ReviewSettings.objects.for_conference(conference)
    if "haet.example" not in settings.public_domains:
        settings.public_mail_domains += "\nhaet.example\n"
        settings.save(update_fields=["public_mail_domains", "updated_at"])
    if reviewers <= 0:
        return
    now = parse_instant(STAGE_NOW[stage])
    topics = list(Topic.objects.filter(conference=conference))
    people = [accounts["reviewer"]] if "reviewer" in accounts else []
    for n in range(1, reviewers + 1):
        email = f"reviewer{n}@haet.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            place, _ = PLACES[n % len(PLACES)]
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
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
            profile.own_papers = "\n\n".join(rng.sample(PHRASES, 2))
            profile.institution_domains = place[1] if place else ""
            profile.max_papers = rng.choice([None, None, None, 8])
            profile.completed_at = now - timedelta(days=25)
            profile.save()
            profile.topics.set(rng.sample(topics, min(len(topics), rng.randint(1, 3))))
    if not people:
        return

    from reviews import conflicts, services

    submissions = list(Submission.objects.filter(state=Submission.State.SUBMITTED))
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
    need = -(-settings.reviewers_per_submission * len(submissions) // len(people)) + 2
    if settings.default_max_load < need:
        settings.default_max_load = need
        settings.save(update_fields=["default_max_load", "updated_at"])
    if AssignmentRun.objects.filter(status=AssignmentRun.Status.DEPLOYED).exists():
        return
    chair = accounts.get("chair")
    run = AssignmentRun.objects.create(created_by=chair, params={"fair": False})
    services.compute_run(run.pk)
    run.refresh_from_db()
    if run.status == AssignmentRun.Status.DONE:
        created = services.deploy_run(run, by=chair, notify=False)
        stdout.write(f"Reviews: {len(people)} reviewers, {len(created)} assignments.")
    else:
        stdout.write(f"Reviews: assignment failed: {run.error}")

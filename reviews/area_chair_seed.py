"""Demo area chairs for `manage.py seed_haet2022`: area-chair@haet.example (and a
second one) exist at every stage and, from the review stage on, oversee every
submission, assigned by the solver; area chairs write the meta-reviews
(decisions.meta_review_seed writes some at the later stages). From the review
stage on, the first area chair has posted in the discussion of one of their
submissions (the demo reviewer's, if they may read it): reviewers read it signed
"Area chair". Idempotent."""

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied

from haet.clock import parse_instant
from haet.models import Conference, User
from haet.seed import DEMO_PASSWORD, STAGE_NOW
from haet.services import set_role
from haet.wording import counted
from reviews.area_chair_solver import assign_area_chairs_automatically
from reviews.area_chairs import area_chair_settings
from reviews.models import AreaChairAssignment, DiscussionPost

AREA_CHAIRS = [
    ("area-chair@haet.example", "Ari Areachair", "Example Polytechnic"),
    ("area-chair2@haet.example", "Noa Overseer", "Example College"),
]
AREA_CHAIR_POST = (
    "Thank you for the reviews. The scores differ mostly on the energy "
    "measurements: could each of you say which experiment would change your mind?"
)


def seed_area_chairs(
    sender: object,
    *,
    conference: Conference,
    stage: str,
    accounts: dict[str, User],
    stdout: Any,
    **_: Any,
) -> None:
    """Receiver of haet.signals.seed_demo (after the reviewers' assignment)."""
    chair = accounts.get("chair")
    if chair is None:
        return
    # Appointed before the call closes (so the demo has them at every stage);
    # they get submissions from the review stage on.
    for email, name, affiliation in AREA_CHAIRS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, name=name, affiliation=affiliation
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
        set_role(user, "area_chair", granted=True)
        accounts.setdefault("area_chair", user)
    if stage == "cfp":
        return
    found = area_chair_settings(conference)
    if not found.is_enabled:
        found.is_enabled = True
        found.max_load = 12
        found.save()
    if not AreaChairAssignment.objects.filter(
        submission__conference=conference
    ).exists():
        # Demo data: no mails (like the reviewers' deployed assignment).
        run = assign_area_chairs_automatically(conference, by=chair, notify=False)
        stdout.write(f"Area chairs: {counted(run.assigned, 'submission')} assigned.")
    seed_area_chair_post(conference, stdout=stdout)


def seed_area_chair_post(conference: Conference, *, stdout: Any) -> None:
    """A demo area chair posts in the discussion of a submission they oversee:
    one the demo reviewer has reviewed (they read it at once), else one with a
    submitted review; the first area chair's before the second's. Through the
    service (the rules, the reviewers' mails), dated with the demo reviews, never
    the wall clock. Nothing when a demo area chair has posted already."""
    from reviews.reviewing import post_to_discussion

    emails = [email for email, _, _ in AREA_CHAIRS]
    if DiscussionPost.objects.filter(
        submission__conference=conference, author__email__in=emails
    ).exists():
        return
    overseen = (
        AreaChairAssignment.objects.filter(
            submission__conference=conference, area_chair__email__in=emails
        )
        .exclude(submission__state="withdrawn")
        .select_related("submission__conference", "area_chair")
        .order_by("submission__number")
    )
    demo_reviewed = set(
        overseen.filter(
            submission__assignments__reviewer__email="reviewer@haet.example",
            submission__assignments__review__state="submitted",
        ).values_list("submission_id", flat=True)
    )
    reviewed = set(
        overseen.filter(submission__assignments__review__state="submitted").values_list(
            "submission_id", flat=True
        )
    )
    for found in sorted(
        overseen,
        key=lambda a: (
            a.submission_id not in demo_reviewed,
            a.submission_id not in reviewed,
            emails.index(a.area_chair.email),
        ),
    ):
        try:
            post = post_to_discussion(
                found.submission, AREA_CHAIR_POST, by=found.area_chair
            )
        except PermissionDenied:  # conflicted with it since
            continue
        # The demo reviews are dated at the review stage (reviews.seed).
        DiscussionPost.objects.filter(pk=post.pk).update(
            created_at=parse_instant(STAGE_NOW["review"])
        )
        stdout.write(
            f"Area chairs: {found.area_chair.email} posted in "
            f"#{found.submission.number}'s discussion."
        )
        return

"""Demo area chairs for `manage.py seed_haet2022`: area-chair@haet.example (and a
second one) exist at every stage and, from the review stage on, oversee every
submission, assigned by the solver; area chairs write the meta-reviews
(decisions.meta_review_seed writes some at the later stages). Idempotent."""

from typing import Any

from allauth.account.models import EmailAddress

from haet.models import Conference, User
from haet.seed import DEMO_PASSWORD
from haet.services import set_role
from reviews.area_chair_solver import assign_area_chairs_automatically
from reviews.area_chairs import area_chair_settings
from reviews.models import AreaChairAssignment

AREA_CHAIRS = [
    ("area-chair@haet.example", "Ari Areachair", "Example Polytechnic"),
    ("area-chair2@haet.example", "Noa Overseer", "Example College"),
]


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
        stdout.write(f"Area chairs: {run.assigned} submissions assigned.")

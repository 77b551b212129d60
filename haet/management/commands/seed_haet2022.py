import random

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from haet import seed
from haet.models import (
    AwardCategory,
    Conference,
    DateChange,
    ImportantDate,
    Topic,
    User,
)
from haet.seed import DEMO_PASSWORD
from haet.services import set_role
from haet.signals import seed_demo


class Command(BaseCommand):
    help = (
        "Load the HAET 2022 conference (dates, instructions, topics, awards) and demo "
        "accounts. Idempotent: running it again changes nothing that exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--papers",
            dest="submissions",
            type=int,
            default=0,
            help="Demo submissions.",
        )
        parser.add_argument("--reviewers", type=int, default=0, help="Demo reviewers.")
        parser.add_argument(
            "--reviews", action="store_true", help="Write demo reviews."
        )
        parser.add_argument(
            "--stage",
            choices=sorted(seed.STAGE_NOW),
            default="cfp",
            help="What exists: cfp, review, decision or over.",
        )
        parser.add_argument(
            "--seed", dest="random_seed", type=int, default=2022, help="Random seed."
        )

    def handle(
        self, *args, submissions, reviewers, reviews, stage, random_seed, **options
    ):
        # The demo's mails (receipts, assignments, reviews posted) are real outbox rows
        # that chairs can browse; they are delivered (after commit) to memory rather
        # than printed, so the console shows the demo accounts, not a hundred mails.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            ),
            transaction.atomic(),
        ):
            conference = self.load_conference()
            accounts = self.load_accounts()
            self.send_seed(
                conference,
                accounts,
                stage,
                submissions,
                reviewers,
                reviews,
                random_seed,
            )
        self.stdout.write(self.style.SUCCESS(f"{conference.acronym} is ready."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for role, user in accounts.items():
            self.stdout.write(f"  {role:9} {user.email}")

    def send_seed(
        self, conference, accounts, stage, submissions, reviewers, reviews, seed
    ):
        seed_demo.send(
            sender=self.__class__,
            conference=conference,
            stage=stage,
            submissions=submissions,
            reviewers=reviewers,
            reviews=reviews,
            rng=random.Random(seed),  # noqa: S311 - demo data, not secrets
            accounts=accounts,
            stdout=self.stdout,
        )

    def load_conference(self) -> Conference:
        conference = Conference.objects.order_by("pk").first()
        if conference is None:
            conference = Conference.objects.create(**seed.CONFERENCE)
        if not conference.dates.exists():
            for order, (kind, label, parts, public) in enumerate(seed.DATES):
                at, has_time = seed.local(parts)
                ImportantDate.objects.create(
                    conference=conference,
                    kind=kind,
                    label=label,
                    at=at,
                    has_time=has_time,
                    is_public=public,
                    order=order,
                )
            deadline = conference.dates.get(kind=ImportantDate.Kind.SUBMISSION_DEADLINE)
            DateChange.objects.create(
                date=deadline,
                old_at=seed.ORIGINAL_SUBMISSION_DEADLINE,
                new_at=deadline.at,
                changed_at=seed.EXTENDED_AT,
            )
        if not conference.topics.exists():
            Topic.objects.bulk_create(
                Topic(conference=conference, name=name, order=order)
                for order, name in enumerate(seed.TOPICS)
            )
        if not conference.award_categories.exists():
            AwardCategory.objects.bulk_create(
                AwardCategory(conference=conference, order=order, **award)
                for order, award in enumerate(seed.AWARDS)
            )
        return conference

    def load_accounts(self) -> dict[str, User]:
        accounts = {}
        for role, email, name, affiliation in seed.DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email, seed.DEMO_PASSWORD, name=name, affiliation=affiliation
                )
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role in ("chair", "reviewer"):
                set_role(user, role, granted=True)
            accounts[role] = user
        return accounts

"""How mails learn which submissions they are about (issue 12, finding 1): rows
written before the links existed (the data migration) and chair digests built with
haet.outbox.reminders.chair_digest."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from haet.models import ImportantDate
from haet.outbox import reminders
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from tests.factories import UserFactory
from tests.outbox.test_reminders import registry  # noqa: F401 - a fixture
from tests.reviews.conftest import World

pytestmark = pytest.mark.django_db
MIGRATION = "haet.outbox.migrations.0003_mark_sensitive_and_link_existing_mails"
DAY = timedelta(days=1)


@pytest.fixture
def world(conference, author, chair):
    return World(conference, author, chair)


def legacy_mail(key: str, *, template: str = "_test", body: str = "Hello") -> int:
    """A row as the outbox wrote it before `is_sensitive` and the submission links."""
    return OutboxMail.objects.create(
        to_email="someone@example.org",
        template=template,
        subject=f"Subject of {key}",
        body_text=body,
        body_html=f"<p>{body}</p>",
        dedupe_key=key,
    ).pk


def listed_to(user) -> set[int]:
    client = Client()
    client.force_login(user)
    return {m.pk for m in client.get(reverse("outbox:list")).context["mails"]}


def test_the_migration_marks_credentials_and_hides_old_mails_about_a_submission(
    world,
):
    hidden, shown = world.submission, world.other_submission
    assignment = world.assignment  # Rita Assigned on #1
    about_hidden = [
        legacy_mail(f"assignment:{assignment.pk}", template="assignment"),
        legacy_mail(f"review_posted:7:{assignment.pk}", template="review_posted"),
        legacy_mail(f"receipt:{hidden.pk}:abc", template="submission_receipt"),
        legacy_mail(
            f"decision-correction:{hidden.pk}:a@example.org:3",
            template="decision_correction",
        ),
        legacy_mail(
            f"reminder:review_overdue_digest:{world.chair.pk}:2022-06-09T11:00:00+00:00:+1d",
            template="chair_digest",
            body="- #1 Sparse training: Rita Assigned (Reviewer 1)\n- #2 Energy: x",
        ),
    ]
    about_shown = [
        legacy_mail(f"award:1:{shown.pk}:b@example.org", template="award_winner"),
        legacy_mail("jury:1:2", template="award_jury"),
    ]
    credentials = [
        legacy_mail("account:account/email/password_reset_key:1234"),
        legacy_mail(
            "reviewer_invitation:4:secret-token", template="reviewer_invitation"
        ),
    ]

    module = importlib.import_module(MIGRATION)
    module.forwards(apps, SimpleNamespace(connection=connection))

    assert listed_to(world.conflicted_chair) == set(about_shown + credentials)
    assert listed_to(world.chair) == set(about_hidden + about_shown + credentials)
    assert set(
        OutboxMail.objects.filter(is_sensitive=True).values_list("pk", flat=True)
    ) == set(credentials)


@pytest.mark.usefixtures("registry")
def test_a_chair_digest_leaves_out_and_links_the_submissions_it_names(
    world, frozen, conference
):
    hidden, shown = world.submission, world.other_submission
    late = UserFactory(
        email="late@rev3.example.net", name="Larry Late", role="reviewer"
    )
    assign_reviewer(shown, late, by=world.chair, notify=False)
    items = [
        {"title": f"#1 {hidden.title}: Rita Assigned", "submission_id": hidden.pk},
        {"title": f"#2 {shown.title}: Larry Late", "submission_id": shown.pk},
    ]
    reminders.register_reminder(
        reminders.Reminder(
            "test_digest",
            "Overdue reviews",
            ImportantDate.Kind.REVIEW_DEADLINE,
            (DAY,),
            every=DAY,
        ),
        reminders.chair_digest(lambda conference, now: items),
        "chair_digest",
    )
    frozen(conference.date("review").closes_at + DAY + timedelta(hours=1))

    reminders.send_due_reminders()

    own = OutboxMail.objects.get(to_email=world.conflicted_chair.email)
    other = OutboxMail.objects.get(to_email=world.chair.email)
    assert "Larry Late" in own.body_text
    assert "Rita Assigned" not in own.body_text
    assert "Rita Assigned" in other.body_text
    assert other.pk not in listed_to(world.conflicted_chair)
    assert own.pk in listed_to(world.chair)

"""Reviewer lists become invitations (reviews.pool): the dry run says who is
invited and why a line is skipped; topics and load become the profile on
acceptance; a second import sends nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exchange.imports.reviewers import plan_reviewers
from exchange.models import ImportedReviewer
from haet.models import Topic
from haet.outbox.models import OutboxMail
from reviews.models import Invitation, ReviewerProfile
from reviews.pool import accept_invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "samples" / "reviewers.csv"
HARDWARE = "hardware architectures and implementations for deep learning training"
ENERGY = "energy reduction techniques for deep learning training"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_reviewers", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_says_who_is_invited_and_why_lines_are_skipped(conference, chair):
    plan = plan_reviewers(SAMPLE.read_bytes(), conference=conference)

    assert [(line.email, line.action) for line in plan.lines] == [
        ("grace.nakamura@osaka-hw.example", "invite"),
        ("pablo.ortega@madrid-ml.example", "invite"),
        ("not-an-email", "skip"),
        ("grace.nakamura@osaka-hw.example", "skip"),
    ]
    assert plan.lines[1].reasons == ["Unknown topic “Quantum annealing”: not set."]
    assert plan.lines[2].reasons == ["“not-an-email” is no email address."]
    assert plan.lines[3].reasons == ["Duplicate email: the first line is used."]
    assert Invitation.objects.count() == 0


def test_a_list_is_invited_once_and_the_profile_follows_on_acceptance(
    conference, chair
):
    out = run(str(SAMPLE))

    assert "Invited 2." in out
    assert sorted(Invitation.objects.values_list("email", "name")) == [
        ("grace.nakamura@osaka-hw.example", "Grace Nakamura"),
        ("pablo.ortega@madrid-ml.example", "Pablo Ortega"),
    ]
    assert OutboxMail.objects.filter(template="reviewer_invitation").count() == 2

    again = run(str(SAMPLE))

    assert "Invited 0." in again
    assert "Already invited (Not answered)." in again
    assert OutboxMail.objects.filter(template="reviewer_invitation").count() == 2

    grace = UserFactory(email="grace@home.example")
    accept_invitation(
        Invitation.objects.get(email="grace.nakamura@osaka-hw.example"), user=grace
    )

    profile = ReviewerProfile.objects.get(user=grace)
    assert sorted(profile.topics.values_list("name", flat=True)) == [ENERGY, HARDWARE]
    assert profile.max_assignments == 4
    grace.refresh_from_db()
    assert grace.affiliation == "Osaka Hardware Institute"
    assert (
        ImportedReviewer.objects.get(email="grace.nakamura@osaka-hw.example").applied_at
        is not None
    )


def test_the_dry_run_writes_nothing(conference, chair):
    out = run("--dry-run", str(SAMPLE))

    assert "Dry run" in out
    assert Invitation.objects.count() == 0
    assert ImportedReviewer.objects.count() == 0
    assert Topic.objects.filter(name=HARDWARE).exists()


def test_cmt_reviewer_export_columns_read_the_same(conference, chair):
    cmt = Path(__file__).parent / "samples" / "cmt_reviewers.txt"

    plan = plan_reviewers(cmt.read_bytes(), conference=conference)

    assert [
        (line.name, line.email, line.affiliation, line.load) for line in plan.lines
    ] == [
        ("Marta Kowalczyk", "marta.k@krakow-hw.example", "Krakow HW Group", 5),
        ("Yusuf Demir", "yusuf.demir@ankara-ml.example", "Ankara ML", None),
    ]
    assert [len(line.topic_ids) for line in plan.lines] == [1, 0]

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
from reviews.area_chairs import appoint_area_chair
from reviews.models import AreaChairInvitation, Invitation, ReviewerProfile
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


def test_an_e_mail_header_reads_as_email(conference, chair):
    """CMT's people export heads the column "E-mail": the list was refused."""
    cmt = Path(__file__).parent / "samples" / "cmt_reviewers.txt"
    text = cmt.read_text(encoding="utf-8").replace("\tEmail\t", "\tE-mail\t", 1)

    plan = plan_reviewers(text.encode(), conference=conference)

    assert [line.email for line in plan.lines] == [
        "marta.k@krakow-hw.example",
        "yusuf.demir@ankara-ml.example",
    ]


def test_hotcrps_first_and_last_columns_make_the_name(conference, chair):
    """HotCRP's PC list heads its columns "first", "last", "email"."""
    data = b"first,last,email,roles\nGrace,Hopper,grace@navy.example,pc\n"

    plan = plan_reviewers(data, conference=conference)

    assert [(line.name, line.email) for line in plan.lines] == [
        ("Grace Hopper", "grace@navy.example")
    ]


METAREVIEWERS = Path(__file__).parent / "samples" / "cmt_metareviewers.txt"


def test_cmt_meta_reviewers_default_to_area_chairs_in_the_dry_run(conference, chair):
    out = run("--dry-run", str(METAREVIEWERS))

    assert "Inviting them as area chairs." in out
    assert "This is CMT's meta-reviewer list: invited as area chairs" in out
    assert "  invite line 2: anneke.visser@delft-arch.example" in out
    assert "    skip line 4: lena.fischer@" in out
    assert "“lena.fischer@” is no email address." in out
    assert AreaChairInvitation.objects.count() == 0
    assert Invitation.objects.count() == 0


def test_an_explicit_role_wins_over_the_meta_reviewer_header(conference, chair):
    out = run("--dry-run", "--role", "reviewers", str(METAREVIEWERS))

    assert "Inviting them as reviewers." in out
    assert "meta-reviewer list" not in out


def test_a_reviewer_list_imported_as_area_chairs_is_invited_once(conference, chair):
    sitting = UserFactory(email="pablo.ortega@madrid-ml.example")
    appoint_area_chair(sitting, by=chair)

    out = run("--role", "area-chairs", str(SAMPLE))

    assert "Invited 1." in out
    assert "Already an area chair." in out
    assert list(AreaChairInvitation.objects.values_list("email", "name")) == [
        ("grace.nakamura@osaka-hw.example", "Grace Nakamura")
    ]
    assert Invitation.objects.count() == 0
    assert ImportedReviewer.objects.count() == 0
    mails = OutboxMail.objects.filter(template="area_chair_invitation")
    assert list(mails.values_list("to_email", flat=True)) == [
        "grace.nakamura@osaka-hw.example"
    ]

    again = run("--role", "area-chairs", str(SAMPLE))

    assert "Invited 0." in again
    assert "Already invited (Not answered)." in again
    assert mails.count() == 1
    assert AreaChairInvitation.objects.count() == 1


def test_the_page_invites_a_meta_reviewer_list_as_area_chairs(
    client, conference, chair
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(chair)
    url = reverse("exchange:import-reviewers")

    page = client.get(url)

    assert page.status_code == 200
    assert '<select name="role"' in page.content.decode()

    upload = SimpleUploadedFile("metareviewers.txt", METAREVIEWERS.read_bytes())
    dry = client.post(url, {"file": upload, "role": "area-chairs"})

    assert dry.status_code == 200
    assert dry.context["plan"].invite_count == 2
    assert "to invite as area chairs" in dry.content.decode()
    assert AreaChairInvitation.objects.count() == 0

    done = client.post(
        url, {"token": dry.context["token"], "role": "area-chairs", "confirm": "1"}
    )

    assert "Invited 2 as area chairs." in done.content.decode()
    assert sorted(AreaChairInvitation.objects.values_list("email", flat=True)) == [
        "anneke.visser@delft-arch.example",
        "raj.iyer@bangalore-sys.example",
    ]
    assert Invitation.objects.count() == 0
    assert OutboxMail.objects.filter(template="area_chair_invitation").count() == 2


def test_a_workbook_with_only_a_meta_reviewers_sheet_means_area_chairs(conference):
    from io import BytesIO

    from openpyxl import Workbook  # type: ignore[import-untyped]

    from exchange.imports.reviewers import detect_role

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Meta-Reviewers"
    sheet.append(["First Name", "Last Name", "Email", "Organization"])
    sheet.append(["Anneke", "Visser", "anneke.visser@delft-arch.example", "Delft"])
    data = BytesIO()
    workbook.save(data)

    plan = plan_reviewers(data.getvalue(), conference=conference)

    assert detect_role(data.getvalue()) == "area-chairs"
    assert plan.role == "area-chairs"
    assert [(line.name, line.action) for line in plan.lines] == [
        ("Anneke Visser", "invite")
    ]
    assert (
        detect_role(
            (Path(__file__).parent / "samples" / "cmt_reviewers.txt").read_bytes()
        )
        is None
    )

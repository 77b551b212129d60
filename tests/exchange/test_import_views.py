"""The chairs' import pages: upload → dry-run report → confirm (a job); the
reviewer list page; only chairs reach them (404 for everyone else)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.models import ImportedSubmission
from haet.jobs.models import Job
from haet.outbox.models import OutboxMail
from reviews.models import Invitation
from submissions.models import Submission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> SimpleUploadedFile:
    path = SAMPLES / name
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.mark.parametrize(
    "name",
    ["exchange:import", "exchange:import-confirm", "exchange:import-reviewers"],
)
def test_only_chairs_reach_the_import_pages(client, conference, author, reviewer, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for person in (author, reviewer, UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_upload_dry_run_map_and_confirm(
    client, conference, chair, django_capture_on_commit_callbacks
):
    client.force_login(chair)

    dry = client.post(
        reverse("exchange:import"),
        {"source": "hotcrp", "files": [sample("hotcrp_submissions.json")]},
    )

    html = dry.content.decode()
    assert dry.status_code == 200
    assert dry.context["plan"].counts == {
        "create": 2,
        "update": 0,
        "unchanged": 0,
        "skip": 1,
    }
    assert "Unknown topic “Mobile”" in html
    assert Submission.objects.count() == 0
    token = dry.context["token"]

    # The dry run again with a topic map, on the same staged files.
    mapped = client.post(
        reverse("exchange:import"),
        {
            "source": "hotcrp",
            "token": token,
            "topic_map": "Mobile = applications of low-energy deep learning training",
        },
    )
    assert mapped.context["plan"].unknown_topics == {}

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            reverse("exchange:import-confirm"),
            {
                "source": "hotcrp",
                "token": token,
                "topic_map": mapped.context["form"].initial["topic_map"],
            },
        )

    job = Job.objects.get()
    assert confirmed.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["summary"][0] == "Created 2, updated 0, unchanged 0, skipped 1."
    assert sorted(ImportedSubmission.objects.values_list("source_id", flat=True)) == [
        "3",
        "5",
    ]
    assert OutboxMail.objects.filter(template="exchange_import_invitation").count() == 3


def test_a_file_of_the_wrong_format_gets_a_message_and_keeps_the_map(
    client, conference, chair
):
    client.force_login(chair)

    response = client.post(
        reverse("exchange:import"),
        {
            "source": "openreview",
            "files": [sample("reviewers.csv")],
            "topic_map": "Mobile = hardware",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "reviewers.csv is not JSON" in html
    assert "Mobile = hardware" in html


def test_a_token_of_another_session_is_refused(client, conference, chair):
    client.force_login(chair)
    response = client.post(
        reverse("exchange:import"), {"source": "cmt", "token": "a" * 32}
    )
    assert response.status_code == 400
    assert "Choose the export file(s) to import again." in response.content.decode()


def test_the_reviewer_list_page_previews_then_invites(client, conference, chair):
    client.force_login(chair)

    dry = client.post(
        reverse("exchange:import-reviewers"), {"file": sample("reviewers.csv")}
    )

    assert dry.context["plan"].invite_count == 2
    assert Invitation.objects.count() == 0

    done = client.post(
        reverse("exchange:import-reviewers"),
        {"token": dry.context["token"], "confirm": "1"},
    )

    assert "Invited 2." in done.content.decode()
    assert Invitation.objects.count() == 2


def _imported_with_author(chair) -> Submission:
    """The HotCRP sample imported; `chair` an author of its submission 3."""
    from django.core.management import call_command

    call_command(
        "import_submissions",
        "--from",
        "hotcrp",
        str(SAMPLES / "hotcrp_submissions.json"),
        stdout=StringIO(),
    )
    joules = ImportedSubmission.objects.get(source_id="3").submission
    joules.authors.create(name=chair.name, email=chair.email, order=9)
    return joules


def test_the_dry_run_does_not_number_a_submission_the_chair_is_conflicted_with(
    client, conference, chair
):
    joules = _imported_with_author(chair)
    pruning = ImportedSubmission.objects.get(source_id="5").submission
    client.force_login(chair)

    dry = client.post(
        reverse("exchange:import"),
        {"source": "hotcrp", "files": [sample("hotcrp_submissions.json")]},
    )

    steps = {s.record.source_id: s for s in dry.context["plan"].steps}
    assert steps["3"].is_hidden
    assert not steps["5"].is_hidden
    html = dry.content.decode()
    assert f"#{pruning.number}" in html
    assert f"#{joules.number}<" not in html
    assert f"#{joules.number} " not in html


def _with_decisions(**decisions: str) -> SimpleUploadedFile:
    import json

    papers = json.loads((SAMPLES / "hotcrp_submissions.json").read_text())
    for paper in papers:
        paper["decision"] = decisions.get(f"p{paper['pid']}", "")
    return SimpleUploadedFile("papers.json", json.dumps(papers).encode())


def test_the_decisions_are_shown_mapped_and_imported_through_the_job(
    client, conference, chair, django_capture_on_commit_callbacks
):
    from decisions.models import Outcome

    client.force_login(chair)
    upload = _with_decisions(p3="Major revision", p5="Accept")

    dry = client.post(
        reverse("exchange:import"), {"source": "hotcrp", "files": [upload]}
    )

    html = dry.content.decode()
    assert [(d.source_id, d.action) for d in dry.context["plan"].decisions] == [
        ("3", "skip"),
        ("5", "set"),
    ]
    assert "<h3>Decisions</h3>" in html
    assert "“Major revision” is not a decision this site knows" in html
    token = dry.context["token"]

    # A line that is no map keeps what was typed, with the message.
    bad = client.post(
        reverse("exchange:import"),
        {"source": "hotcrp", "token": token, "decision_map": "Major revision = maybe"},
    )
    assert bad.status_code == 400
    assert "Major revision = maybe" in bad.content.decode()
    assert "“Major revision = maybe” is not." in bad.content.decode()

    mapped = client.post(
        reverse("exchange:import"),
        {
            "source": "hotcrp",
            "token": token,
            "decision_map": "Major revision = Accept (oral)",
        },
    )
    assert mapped.context["plan"].decision_count == 2
    hidden = 'name="decision_map" value="Major revision = Accept (oral)"'
    assert hidden in mapped.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import-confirm"),
            {
                "source": "hotcrp",
                "token": token,
                "decision_map": "Major revision = Accept (oral)",
            },
        )

    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["summary"][3].startswith("Decisions: 2 set (not released")
    decided = {
        row.source_id: row.submission.decision.outcome
        for row in ImportedSubmission.objects.select_related("submission__decision")
    }
    assert decided == {"3": Outcome.ACCEPT_ORAL, "5": Outcome.ACCEPT_POSTER}


def test_the_decision_of_a_submission_the_chair_is_conflicted_with_is_not_shown(
    client, conference, chair
):
    joules = _imported_with_author(chair)
    client.force_login(chair)

    dry = client.post(
        reverse("exchange:import"),
        {"source": "hotcrp", "files": [_with_decisions(p3="Reject", p5="Reject")]},
    )

    steps = {d.source_id: d for d in dry.context["plan"].decisions}
    assert (steps["3"].action, steps["3"].is_hidden) == ("skip", True)
    assert steps["5"].action == "set"
    row = dry.content.decode().split("<h3>Decisions</h3>")[1].split("</tr>")[1]
    assert "A submission you are conflicted with: not shown." in row
    assert "Reject" not in row
    assert f"#{joules.number}" not in row


def test_the_import_job_skips_and_never_describes_a_conflicted_submission(
    client, conference, chair, django_capture_on_commit_callbacks
):
    """The job plans as the dry run the chair confirmed: the decision of a
    submission they are conflicted with, decided here by another chair, is
    neither changed nor named ("Decided here as Reject" would tell them)."""
    from decisions.deciding import decide
    from decisions.models import Outcome

    joules = _imported_with_author(chair)
    other = UserFactory(role="chair")
    decide(joules, Outcome.REJECT, by=other)
    client.force_login(chair)
    dry = client.post(
        reverse("exchange:import"),
        {"source": "hotcrp", "files": [_with_decisions(p3="Accept", p5="Reject")]},
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import-confirm"),
            {"source": "hotcrp", "token": dry.context["token"]},
        )

    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    summary = "\n".join(job.result["summary"])
    assert "Decided here" not in summary
    assert "Reject" not in summary.replace("Decisions: 1 set", "")
    assert "A submission you are conflicted with: not shown." in summary
    joules.refresh_from_db()
    assert joules.decision.outcome == Outcome.REJECT
    pruning = ImportedSubmission.objects.get(source_id="5").submission
    assert pruning.decision.outcome == Outcome.REJECT

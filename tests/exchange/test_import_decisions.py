"""Decisions in an export come in unreleased: the dry run says which are set,
kept or left undecided and why; nothing reaches the authors until release; a
decision made here is kept; a chair conflicted with a submission leaves its
decision to another chair; importing again changes nothing."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from decisions.deciding import decide
from decisions.models import Decision, DecisionLog, Outcome
from exchange.imports import cmt, easychair, hotcrp, openreview
from exchange.imports.decision_plan import (
    NOT_DECIDED,
    outcome_for,
    parse_decision_map,
)
from exchange.models import ImportedSubmission
from haet.outbox.models import OutboxMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize(
    ("written", "outcome"),
    [
        ("Accept", Outcome.ACCEPT_POSTER),
        ("ACCEPT (poster)", Outcome.ACCEPT_POSTER),
        ("Accepted as oral", Outcome.ACCEPT_ORAL),
        ("accept: contributed talk", Outcome.ACCEPT_ORAL),
        ("Spotlight (accept)", Outcome.ACCEPT_ORAL),
        ("Reject", Outcome.REJECT),
        ("rejected", Outcome.REJECT),
        ("Desk Reject", Outcome.DESK_REJECT),
        ("desk-rejected", Outcome.DESK_REJECT),
        ("Awaiting Decision", None),
        ("no decision", None),
        ("", None),
        ("Withdrawn", None),
        ("Major revision", None),
        ("Not accepted", None),
        ("accept or reject", None),
    ],
)
def test_their_decision_reads_as_ours(written, outcome):
    assert outcome_for(written)[0] == outcome


def test_what_is_not_read_says_how_to_map_it():
    assert outcome_for("Major revision") == (
        None,
        "“Major revision” is not a decision this site knows: left undecided. Map "
        "it with a line “Major revision = Accept (poster)” (or another outcome).",
    )
    assert "= Accept (oral)" in outcome_for("accept")[1]  # set as a poster, said
    assert outcome_for("Accept (poster)")[1] == ""
    assert outcome_for("Awaiting decision") == (None, "")


def test_the_decision_map_wins_and_is_checked():
    mapping, bad = parse_decision_map(
        "Accept = Accept (oral)\nMajor revision = undecided\n"
        "Minor revision = accept_poster\nnonsense\nx = maybe\n"
    )
    assert mapping == {
        "accept": Outcome.ACCEPT_ORAL,
        "major revision": None,
        "minor revision": Outcome.ACCEPT_POSTER,
    }
    assert bad == ["nonsense", "x = maybe"]
    assert outcome_for("  ACCEPT ", mapping) == (Outcome.ACCEPT_ORAL, "")
    assert outcome_for("Minor  revision", mapping) == (Outcome.ACCEPT_POSTER, "")


@given(st.text(alphabet=st.sampled_from("acceptrjdskoralpstwhn :()-"), max_size=30))
def test_any_written_decision_is_ours_or_undecided_and_said(written):
    """Whatever a system wrote: one of our outcomes, or undecided, and left
    undecided silently only when it says no decision was made; case and
    spacing never change the reading."""
    outcome, why = outcome_for(written)
    assert outcome is None or outcome in Outcome.values
    if outcome is None and not why:
        assert " ".join(written.split()).lower() in NOT_DECIDED | {""}
    if why:
        assert written in why
    assert outcome_for(f"  {written.upper()} ")[0] == outcome


def test_every_format_carries_its_decisions(tmp_path):
    text = (SAMPLES / "cmt_submissions.txt").read_text(encoding="utf-8")
    text = text.replace("Awaiting Decision", "Accept", 1)
    records = cmt.parse([("Papers.txt", text.encode())]).records
    assert [r.decision for r in records][:2] == ["Accept", "Awaiting Decision"]

    papers = json.loads((SAMPLES / "hotcrp_submissions.json").read_text())
    papers[0]["status"], papers[1]["decision"] = "accepted", "Rejected"
    records = hotcrp.parse([("p.json", json.dumps(papers).encode())]).records
    assert [r.decision for r in records] == ["accepted", "Rejected", ""]

    notes = json.loads((SAMPLES / "openreview_notes.json").read_text())
    notes["notes"][0]["content"]["decision"] = {"value": "Accept (Oral)"}
    records = openreview.parse([("n.json", json.dumps(notes).encode())]).records
    assert records[0].decision == "Accept (Oral)"

    files = _easychair_with(tmp_path, {0: "accept", 1: "desk reject"})
    records = easychair.parse([(p.name, p.read_bytes()) for p in files]).records
    assert [r.decision for r in records][:2] == ["accept", "desk reject"]


def _easychair_with(tmp_path, decisions: dict[int, str]) -> list[Path]:
    folder = SAMPLES / "easychair"
    with (folder / "submission.csv").open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
    for index, decision in decisions.items():
        rows[index]["decision"] = decision
    with (tmp_path / "submission.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(rows)
    return [tmp_path / "submission.csv", folder / "author.csv"]


def _hotcrp(tmp_path, **decisions: str) -> Path:
    papers = json.loads((SAMPLES / "hotcrp_submissions.json").read_text())
    for paper in papers:
        paper["decision"] = decisions.get(f"p{paper['pid']}", "")
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(papers))
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_submissions", *args, stdout=out)
    return out.getvalue()


def _decided() -> dict[str, tuple[str, str]]:
    return {
        row.source_id: (row.submission.decision.outcome, row.submission.decision.reason)
        for row in ImportedSubmission.objects.filter(
            submission__decision__isnull=False
        ).select_related("submission__decision")
    }


def test_decisions_come_in_unreleased_and_a_second_import_changes_nothing(
    conference, chair, tmp_path
):
    path = _hotcrp(tmp_path, p3="Accepted (oral)", p5="Desk reject")

    dry = run("--from", "hotcrp", "--dry-run", str(path))

    assert "Decisions (not released): 2 to set, 0 unchanged, 0 skipped." in dry
    assert "set decision of 3: “Accepted (oral)” → Accept (oral)" in dry
    assert Decision.objects.count() == 0

    done = run("--from", "hotcrp", "--as", chair.email, str(path))

    assert "Decisions: 2 set (not released" in done
    assert _decided() == {
        "3": (Outcome.ACCEPT_ORAL, ""),
        "5": (Outcome.DESK_REJECT, "Imported from HotCRP: “Desk reject”."),
    }
    assert not Decision.objects.filter(released_at__isnull=False).exists()
    logs = DecisionLog.objects.all()
    assert {log.by for log in logs} == {chair}
    assert len({log.bulk_id for log in logs}) == 1  # one import, one bulk
    # Only the authors' account invitations: no decision reaches them.
    templates = list(OutboxMail.objects.values_list("template", flat=True))
    assert templates == ["exchange_import_invitation"] * 3

    again = run("--from", "hotcrp", str(path))

    assert "Decisions (not released): 0 to set, 2 unchanged, 0 skipped." in again
    assert DecisionLog.objects.count() == 2


def test_a_decision_made_here_is_kept_and_a_withdrawn_one_skipped(
    conference, chair, tmp_path
):
    path = _hotcrp(tmp_path)
    run("--from", "hotcrp", str(path))
    submission = ImportedSubmission.objects.get(source_id="3").submission
    decide(submission, Outcome.REJECT, by=chair)
    papers = json.loads(path.read_text())
    papers[0]["decision"] = "Accept"
    papers[1]["decision"], papers[1]["status"] = "Accept", "withdrawn"
    path.write_text(json.dumps(papers))

    dry = run("--from", "hotcrp", "--dry-run", str(path))
    run("--from", "hotcrp", str(path))

    assert "Decided here as Reject: kept (change it on the decisions dashboard)." in dry
    assert "The submission is withdrawn." in dry
    assert _decided() == {"3": (Outcome.REJECT, "")}


def test_an_unknown_decision_is_left_undecided_until_mapped(
    conference, chair, tmp_path
):
    path = _hotcrp(tmp_path, p3="Major revision", p5="Accept")
    (tmp_path / "map.txt").write_text("major revision = Accept (poster)\n")

    dry = run("--from", "hotcrp", "--dry-run", str(path))
    assert "skip decision of 3 → " not in dry  # not created yet: no number
    assert "“Major revision” is not a decision this site knows" in dry
    assert "“Accept” says no kind of acceptance: set as a poster." in dry

    run("--from", "hotcrp", "--decision-map", str(tmp_path / "map.txt"), str(path))

    assert _decided() == {
        "3": (Outcome.ACCEPT_POSTER, ""),
        "5": (Outcome.ACCEPT_POSTER, ""),
    }


def test_a_chair_who_wrote_a_submission_leaves_its_decision_to_another(
    conference, chair, tmp_path
):
    """The importing chair is an author of #5: the import sets the other
    decision and counts this one as left to a chair without a conflict."""
    author_chair = UserFactory(email="li.wei@shenzhen-mobile.example", role="chair")
    path = _hotcrp(tmp_path, p3="Reject", p5="Accept (poster)")

    done = run("--from", "hotcrp", "--as", author_chair.email, str(path))

    assert _decided() == {"3": (Outcome.REJECT, "")}
    assert "1 left to a chair without a conflict with the submission." in done
    # The other chair imports the same file: #5's decision is set now.
    run("--from", "hotcrp", "--as", chair.email, str(path))
    assert _decided()["5"] == (Outcome.ACCEPT_POSTER, "")


def test_the_easychair_decisions_come_in(conference, chair, tmp_path):
    files = _easychair_with(tmp_path, {0: "accept", 1: "reject", 2: "accept"})

    run("--from", "easychair", *map(str, files))

    # The third submission is deleted in EasyChair: withdrawn, no decision.
    assert _decided() == {"7": (Outcome.ACCEPT_POSTER, ""), "9": (Outcome.REJECT, "")}

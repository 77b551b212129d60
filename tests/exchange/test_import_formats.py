"""import_submissions end to end on each format's sample: the dry run writes
nothing and says why; the import makes the submissions, checked, with the authors
invited; importing again changes nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.imports.records import ImportFileError
from exchange.models import ImportedSubmission
from haet.models import User
from haet.outbox.models import OutboxMail
from reviews.conflicts import is_conflicted
from submissions.models import Author, DeclaredConflict, Submission, SubmissionVersion
from tests.factories import UserFactory
from tests.submissions.pdf_factory import build_paper

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
EASYCHAIR = [
    str(SAMPLES / "easychair" / name)
    for name in ("submission.csv", "author.csv", "submission_topic.csv")
]
FORMATS = {
    "cmt": [str(SAMPLES / "cmt_submissions.txt")],
    "easychair": EASYCHAIR,
    "hotcrp": [str(SAMPLES / "hotcrp_submissions.json")],
    "openreview": [str(SAMPLES / "openreview_notes.json")],
}
# source: {source id: (title, author emails, state)} of what is imported.
EXPECTED = {
    "cmt": {
        "101": (
            "Low-Rank Gradient Sketches for On-Device Training",
            ["mira.okafor@lagos-tech.example", "t.wrona@silesia-uni.example"],
            "submitted",
        ),
        "102": (
            "Stochastic Rounding on a Budget: 8-bit Training on Microcontrollers",
            ["jun@kobe-sys.example", "e.sorokina@nsu-ml.example"],
            "submitted",
        ),
        "103": (
            "A Withdrawn Study of Sparse Backpropagation",
            ["priya@chennai-ai.example"],
            "withdrawn",
        ),
        "104": (
            "Duplicate Authors in an Energy Benchmark",
            ["lars@uppsala-hw.example"],
            "submitted",
        ),
    },
    "easychair": {
        "7": (
            "Equilibrium Propagation on Analog Crossbars",
            ["ines.duarte@porto-eng.example", "kmensah@accra-ai.example"],
            "submitted",
        ),
        "9": (
            "Open-Source FPGA Kernels for Mixed-Precision Training",
            ["aiko.sato@sendai-fpga.example"],
            "submitted",
        ),
        "12": ("A Deleted Draft", ["noor@amman-ml.example"], "withdrawn"),
    },
    "hotcrp": {
        "3": (
            "Measuring the Joules of a Training Step",
            ["hana.novak@brno-energy.example", "diego.ruiz@valparaiso-hpc.example"],
            "submitted",
        ),
        "5": (
            "Pruning While Training on Phones",
            ["li.wei@shenzhen-mobile.example"],
            "submitted",
        ),
    },
    "openreview": {
        "14": (
            "Reversible Layers Cut Activation Memory on Edge TPUs",
            ["sofia.lindqvist@gothenburg-ml.example"],
            "submitted",
        ),
        "15": (
            "Spiking Networks Trained with Local Rules",
            ["chiara.bellini@torino-neuro.example"],
            "withdrawn",
        ),
    },
}
# What each dry run must say (a reason per sample's trap).
DRY_RUN_SAYS = {
    "cmt": ["Duplicate email lars@uppsala-hw.example", "Unknown topic “Benchmarks”"],
    "easychair": ["Unknown topic “Analog computing”"],
    "hotcrp": ["skip 6", "No title.", "check digit", "Unknown topic “Mobile”"],
    "openreview": ["~Omar_Farouk1", "no email address"],
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_submissions", *args, stdout=out)
    return out.getvalue()


def imported(source: str) -> dict[str, tuple]:
    found = {}
    for row in ImportedSubmission.objects.filter(source=source).select_related(
        "submission"
    ):
        submission = row.submission
        emails = list(
            submission.authors.order_by("order").values_list("email", flat=True)
        )
        found[row.source_id] = (submission.title, emails, submission.state)
    return found


@pytest.mark.parametrize("source", sorted(FORMATS))
def test_a_sample_imports_once_and_a_second_import_changes_nothing(
    conference, chair, source
):
    report = run("--from", source, "--dry-run", *FORMATS[source])

    for text in DRY_RUN_SAYS[source]:
        assert text in report
    withdrawn = any(s == "withdrawn" for *_, s in EXPECTED[source].values())
    assert ("Withdrawn: its authors are not invited." in report) == withdrawn
    assert "Dry run: nothing was written." in report
    assert Submission.objects.count() == 0
    assert OutboxMail.objects.filter(template="exchange_import_invitation").count() == 0

    run("--from", source, *FORMATS[source])

    assert imported(source) == EXPECTED[source]
    invited = set(
        OutboxMail.objects.filter(template="exchange_import_invitation").values_list(
            "to_email", flat=True
        )
    )
    authors = {
        email for _t, emails, _s in EXPECTED[source].values() for email in emails
    }
    # A withdrawn submission's authors are not invited (the dry run says so).
    assert invited == {
        email
        for _t, emails, state in EXPECTED[source].values()
        if state != "withdrawn"
        for email in emails
    }
    # Authors get an account invitation, never a password.
    accounts = User.objects.filter(email__in=authors)
    assert accounts.exists()
    assert not any(u.has_usable_password() for u in accounts)
    mail_count = OutboxMail.objects.count()

    again = run("--from", source, *FORMATS[source])

    assert f"0 to create, 0 to update, {len(EXPECTED[source])} unchanged" in again
    assert imported(source) == EXPECTED[source]
    assert Submission.objects.count() == len(EXPECTED[source])
    assert OutboxMail.objects.count() == mail_count


def test_a_topic_map_maps_their_subject_areas_to_our_topics(conference, chair):
    run(
        "--from",
        "cmt",
        "--topic-map",
        str(SAMPLES / "cmt_topic_map.txt"),
        *FORMATS["cmt"],
    )

    sketches = ImportedSubmission.objects.get(source="cmt", source_id="101").submission
    assert sorted(t.name[:40] for t in sketches.topics.all()) == [
        "compression methods to reduce memory usa",
        "energy reduction techniques for deep lea",
    ]


def test_an_orcid_and_declared_conflicts_come_in_and_conflicts_are_recomputed(
    conference, chair
):
    rival = UserFactory(email="bob.reviewer@rival.example", role="reviewer")

    out = run("--from", "hotcrp", *FORMATS["hotcrp"])

    joules = ImportedSubmission.objects.get(source="hotcrp", source_id="3").submission
    assert list(joules.authors.values_list("email", "orcid")) == [
        ("hana.novak@brno-energy.example", "0000-0002-1825-0097"),
        ("diego.ruiz@valparaiso-hpc.example", ""),
    ]
    # The check digit of 0000-0002-1825-0098 is wrong: the iD is left out.
    assert Author.objects.get(email="li.wei@shenzhen-mobile.example").orcid == ""
    assert list(DeclaredConflict.objects.values_list("value", flat=True)) == [
        "bob.reviewer@rival.example"
    ]
    assert is_conflicted(rival, joules)
    assert "Conflicts recomputed: 1 " in out


def test_pdfs_are_checked_and_a_missing_one_is_reported(conference, chair, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    build_paper(folder / "Okafor_sketches.pdf")
    build_paper(folder / "102.pdf", title="Stochastic Rounding on a Budget")

    report = run("--from", "cmt", "--dry-run", "--pdfs", str(folder), *FORMATS["cmt"])
    assert report.count("Missing PDF") == 2  # 103 and 104

    run("--from", "cmt", "--pdfs", str(folder), *FORMATS["cmt"])

    versions = SubmissionVersion.objects.order_by("submission__number")
    assert [v.submission.imported_from.source_id for v in versions] == ["101", "102"]
    assert all(v.reviewer_copy and v.page_count for v in versions)
    assert all(v.submission.current_version_id == v.pk for v in versions)

    again = run("--from", "cmt", "--pdfs", str(folder), *FORMATS["cmt"])
    assert "0 to create, 0 to update, 4 unchanged" in again
    assert SubmissionVersion.objects.count() == 2


def test_an_excel_export_reads_like_the_tab_delimited_one(conference, chair, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Papers"
    lines = (SAMPLES / "cmt_submissions.txt").read_text("utf-8").splitlines()
    for line in lines:
        sheet.append(line.split("\t"))
    path = tmp_path / "cmt.xlsx"
    workbook.save(path)

    run("--from", "cmt", str(path))

    assert imported("cmt") == EXPECTED["cmt"]


def test_an_unchanged_file_updates_what_changed(conference, chair, tmp_path):
    run("--from", "hotcrp", *FORMATS["hotcrp"])
    changed = tmp_path / "hotcrp.json"
    changed.write_text(
        (SAMPLES / "hotcrp_submissions.json")
        .read_text("utf-8")
        .replace("Pruning While Training on Phones", "Pruning While Training")
    )

    report = run("--from", "hotcrp", str(changed))

    assert "0 to create, 1 to update, 1 unchanged, 1 skipped" in report
    assert imported("hotcrp")["5"][0] == "Pruning While Training"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "hotcrp", str(SAMPLES / "reviewers.csv")],
            "neither HotCRP.s paper JSON nor its reviews CSV",
        ),
        (["--from", "cmt", str(SAMPLES / "hotcrp_submissions.json")], "paper id"),
        (["--from", "easychair", str(SAMPLES / "reviewers.csv")], "submission list"),
    ],
)
def test_a_file_of_another_format_is_refused_with_the_reason(
    conference, chair, args, message
):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Submission.objects.count() == 0


def test_an_easychair_workbook_reads_like_its_csv_files(conference, chair, tmp_path):
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, name in (
        ("Submissions", "submission.csv"),
        ("Authors", "author.csv"),
        ("Submission topics", "submission_topic.csv"),
    ):
        sheet = workbook.create_sheet(title)
        with open(SAMPLES / "easychair" / name, encoding="utf-8") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    path = tmp_path / "easychair.xlsx"
    workbook.save(path)

    run("--from", "easychair", str(path))

    assert imported("easychair") == EXPECTED["easychair"]


def test_an_author_with_an_account_is_linked_by_address_whatever_its_case(
    conference, chair
):
    jun = UserFactory(email="Jun@Kobe-Sys.example", name="Jun T.")

    run("--from", "cmt", *FORMATS["cmt"])

    stochastic = ImportedSubmission.objects.get(source="cmt", source_id="102")
    assert stochastic.submission.contact == jun
    assert not OutboxMail.objects.filter(
        template="exchange_import_invitation", to_email__iexact=jun.email
    ).exists()
    assert User.objects.filter(email__iexact=jun.email).count() == 1


def test_cmts_conflict_count_is_no_conflict(tmp_path):
    """CMT's Papers export has a "Conflicts" column holding how many there are
    ("7"): it made domain conflicts named "7" and "0". Only addresses and
    domains are read."""
    from exchange.imports import cmt

    text = (SAMPLES / "cmt_submissions.txt").read_text(encoding="utf-8")
    counted = text.replace("\tbob.reviewer@rival.example\t", "\t7\t", 1)
    assert counted != text

    [first, *_] = cmt.parse([("Papers.txt", counted.encode())]).records
    [original, *_] = cmt.parse([("Papers.txt", text.encode())]).records

    assert first.conflicts == ["rival.example"]
    assert original.conflicts == ["bob.reviewer@rival.example", "rival.example"]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda papers: {"ok": True, "papers": papers},  # HotCRP's /api/paper
        lambda papers: {"contacts": [], "papers": papers},  # its saved conferences
        lambda papers: [{**p, "object": "submission"} for p in papers],
    ],
)
def test_hotcrps_other_json_shapes_read_like_its_list(wrap):
    """HotCRP's paper JSON as a list reads; the same papers inside its API's
    answer or a saved conference were taken for one id-less paper and skipped,
    and items marked "object": "submission" were dropped without a word."""
    from exchange.imports import hotcrp

    papers = json.loads((SAMPLES / "hotcrp_submissions.json").read_text())
    wrapped = json.dumps(wrap(papers)).encode()

    plain = hotcrp.parse([("papers.json", json.dumps(papers).encode())]).records
    read = hotcrp.parse([("papers.json", wrapped)]).records

    assert [(r.source_id, r.title, len(r.authors)) for r in read] == [
        (r.source_id, r.title, len(r.authors)) for r in plain
    ]
    assert len(read) >= 3


def test_hotcrp_conflicts_as_a_list_and_the_test_data_id():
    from exchange.imports import hotcrp

    paper = {
        "_id_": 12,
        "title": "Scalable Timers",
        "authors": [{"name": "Ada Lovelace", "email": "ada@engine.example"}],
        "pc_conflicts": ["mgbaker@cs.example"],
    }

    [record] = hotcrp.parse([("db.json", json.dumps([paper]).encode())]).records

    assert (record.source_id, record.conflicts) == ("12", ["mgbaker@cs.example"])


def test_a_json_of_no_hotcrp_paper_is_refused_with_the_reason():
    from exchange.imports import hotcrp

    with pytest.raises(ImportFileError, match="its items are review"):
        hotcrp.parse([("x.json", b'[{"object": "review", "pid": 1}]')])


def test_a_title_longer_than_ours_is_cut_once_and_said(conference, chair, tmp_path):
    """A title over 250 characters (OpenReview allows more) was cut when
    written but compared whole, so every import of the file said "update"."""
    notes = json.loads((SAMPLES / "openreview_notes.json").read_text())
    long_title = "Reversible Layers " * 20  # 359 characters without the last space
    notes["notes"][0]["content"]["title"]["value"] = long_title
    notes["notes"][0]["content"]["keywords"]["value"] = ["memory " * 100]
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(notes), encoding="utf-8")

    dry = run("--from", "openreview", "--dry-run", str(path))
    run("--from", "openreview", str(path))
    again = run("--from", "openreview", "--dry-run", str(path))

    assert "The title has 359 characters: cut to the 250 allowed here." in dry
    assert "The keywords have 699 characters: cut to the 500 allowed here." in dry
    imported = ImportedSubmission.objects.get(source="openreview", source_id="14")
    assert imported.submission.title == long_title[:250].rstrip()
    assert "0 to update" in again.splitlines()[0]


def test_a_cmt_affiliation_with_brackets_inside(tmp_path):
    from exchange.imports import cmt

    text = (SAMPLES / "cmt_submissions.txt").read_text(encoding="utf-8")
    nested = text.replace(
        "Tomasz Wrona (Silesian University)",
        "Tomasz Wrona (Silesian University (Gliwice))",
    )
    assert nested != text

    [first, *_] = cmt.parse([("Papers.txt", nested.encode())]).records

    assert [(a.name, a.affiliation) for a in first.authors][1] == (
        "Tomasz Wrona",
        "Silesian University (Gliwice)",
    )

"""EasyChair's meta-reviews (metareview.csv) imported with the submissions: the
dry run says which become a submission's meta-review, which replace one imported
before, which are unchanged and which are skipped, and why; they are written
through the meta-review service as the importing chair; importing again changes
nothing, and a meta-review written here is kept."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from decisions.meta_reviews import save_meta_review
from decisions.models import MetaReview
from haet import clock
from haet.models import User
from reviews.models import Conflict
from submissions.models import Submission
from tests.exchange.confirming import confirm_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples" / "easychair"
NAMES = ("submission.csv", "author.csv", "submission_topic.csv", "metareview.csv")
FILES = [str(SAMPLES / name) for name in NAMES]
CROSSBAR = (
    "Both reviewers find the crossbar energy results convincing.\n"
    "Please add the variance over devices and the backpropagation comparison the "
    "reviewers ask for."
)


def run(*args: str, files: list[str] = FILES) -> str:
    out = StringIO()
    call_command("import_submissions", "--from", "easychair", *args, *files, stdout=out)
    return out.getvalue()


def meta_reviews() -> list[tuple]:
    return [
        (
            m.submission.title[:20],
            m.to_authors[:30],
            m.note_to_chairs,
            m.written_by.email,
        )
        for m in MetaReview.objects.select_related("submission", "written_by")
    ]


def test_the_dry_run_says_what_becomes_a_meta_review_and_why_not(conference, chair):
    out = run("--dry-run")

    assert "Meta-reviews: 2 to create, 0 to update, 0 unchanged, 3 skipped." in out
    lines = out.splitlines()
    for expected in (
        "   create meta-review 1 of 7 by Helga Brandt",
        "   create meta-review 2 of 9 by Rafael Ortiz",
        "     skip meta-review 3 of 9 by Helga Brandt",
        "            A second meta-review of the same submission: the first is used.",
        "     skip meta-review 4 of 12 by Rafael Ortiz",
        "            The submission is withdrawn.",
        "     skip meta-review 5 of 99 by Rafael Ortiz",
        "            Submission 99 is not imported from this file.",
    ):
        assert expected in lines
    assert not MetaReview.objects.exists()


def test_the_import_writes_them_as_the_importing_chair(conference, chair):
    out = run("--as", chair.email)

    assert "Meta-reviews: 2 created, 0 updated, 0 unchanged, 3 skipped." in out
    assert meta_reviews() == [
        (
            "Equilibrium Propagat",
            CROSSBAR[:30],
            "Imported from EasyChair: meta-review 1 by Helga Brandt of 2022-06-20 "
            "16:10. Recommendation: accept.",
            chair.email,
        ),
        (
            "Open-Source FPGA Ker",
            "The kernels are useful, but th",
            "Imported from EasyChair: meta-review 2 by Rafael Ortiz of 2022-06-21 "
            "09:05. Recommendation: weak reject.",
            chair.email,
        ),
    ]
    assert MetaReview.objects.get(submission__title__startswith="Equ").to_authors == (
        CROSSBAR
    )


def test_importing_again_changes_nothing(conference, chair):
    run("--as", chair.email)
    before = list(MetaReview.objects.values_list("pk", "to_authors", "written_at"))

    out = run("--as", chair.email)

    assert "Meta-reviews: 0 to create, 0 to update, 2 unchanged, 3 skipped." in out
    assert "Meta-reviews: 0 created, 0 updated, 2 unchanged, 3 skipped." in out
    after = list(MetaReview.objects.values_list("pk", "to_authors", "written_at"))
    assert after == before


def test_a_changed_file_updates_what_was_imported_and_keeps_what_was_written_here(
    conference, chair, tmp_path
):
    run("--as", chair.email)
    fpga = Submission.objects.get(title__startswith="Open-Source")
    save_meta_review(fpga, to_authors="Written here by the chair.", by=chair)
    changed = tmp_path / "metareview.csv"
    changed.write_text(
        (SAMPLES / "metareview.csv")
        .read_text()
        .replace("Both reviewers find", "All three reviewers find")
        .replace("The kernels are useful", "The kernels are very useful")
    )

    out = run("--as", chair.email, files=[*FILES[:3], str(changed)])

    assert "Meta-reviews: 0 to create, 1 to update, 0 unchanged, 4 skipped." in out
    assert "            Replaces the meta-review imported before." in out
    assert "            A meta-review written here: kept as it is." in out
    assert [m[1] for m in meta_reviews()] == [
        "All three reviewers find the c",
        "Written here by the chair.",
    ]


def test_a_meta_review_the_chair_may_not_write_is_skipped(conference, chair):
    run("--as", chair.email, files=FILES[:3])
    crossbar = Submission.objects.get(title__startswith="Equilibrium")
    Conflict.objects.create(
        submission=crossbar,
        user=chair,
        source="chair_added",
        created_at=clock.now(),
    )

    out = run("--as", chair.email)

    assert "Meta-reviews: 1 created, 0 updated, 0 unchanged, 4 skipped." in out
    assert "Meta-review 1: you may not write its meta-review." in out
    assert not MetaReview.objects.filter(submission=crossbar).exists()


def test_the_chairs_page_shows_them_and_imports_them(
    client, conference, chair, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    files = [SimpleUploadedFile(name, (SAMPLES / name).read_bytes()) for name in NAMES]

    dry = client.post(
        reverse("exchange:import"), {"source": "easychair", "files": files}
    )

    assert dry.status_code == 200
    html = dry.content.decode()
    assert "<h3>Meta-reviews</h3>" in html
    assert "A second meta-review of the same submission: the first is used." in html
    assert dry.context["plan"].meta_review_count == 2
    assert not MetaReview.objects.exists()
    summary = confirm_import(
        client, dry, "easychair", django_capture_on_commit_callbacks
    )
    assert "Meta-reviews: 2 created, 0 updated, 0 unchanged, 3 skipped." in summary
    assert MetaReview.objects.count() == 2


def test_the_page_hides_a_meta_review_of_a_submission_the_chair_is_conflicted_with(
    client, conference, chair
):
    run("--as", chair.email, files=FILES[:3])
    crossbar = Submission.objects.get(title__startswith="Equilibrium")
    Conflict.objects.create(
        submission=crossbar, user=chair, source="chair_added", created_at=clock.now()
    )
    client.force_login(User.objects.get(pk=chair.pk))
    files = [SimpleUploadedFile(name, (SAMPLES / name).read_bytes()) for name in NAMES]

    dry = client.post(
        reverse("exchange:import"), {"source": "easychair", "files": files}
    )

    [hidden] = [m for m in dry.context["plan"].meta_reviews if m.is_hidden]
    assert (hidden.action, hidden.reasons) == (
        "skip",
        ["A submission you are conflicted with: not shown."],
    )
    section = dry.content.decode().split("<h3>Meta-reviews</h3>")[1]
    assert f"<td>7 → #{crossbar.number}</td>" not in section
    assert "<td>9 → #" in section  # the others are shown


def test_a_workbook_sheet_of_meta_reviews_reads_like_metareview_csv(
    conference, chair, tmp_path
):
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, name in (
        ("Submissions", "submission.csv"),
        ("Authors", "author.csv"),
        ("Metareviews", "metareview.csv"),
    ):
        sheet = workbook.create_sheet(title)
        with open(SAMPLES / name, encoding="utf-8") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    path = tmp_path / "easychair.xlsx"
    workbook.save(path)

    out = run("--as", chair.email, files=[str(path)])

    assert "Meta-reviews: 2 created, 0 updated, 0 unchanged, 3 skipped." in out
    assert [m[1] for m in meta_reviews()] == [
        CROSSBAR[:30],
        "The kernels are useful, but th",
    ]


def test_the_pc_only_part_goes_to_the_chairs_note(conference, chair, tmp_path):
    """EasyChair's metareview.csv has a "PC-only part": it was dropped without a
    word; it is the chairs' note now, and never the authors' text."""
    (tmp_path / "metareview.csv").write_text(
        "#,submission #,member #,member name,recommendation,text,PC-only part,"
        "date,time\n"
        f'1,7,3,Helga Brandt,accept,"{CROSSBAR}","Strong; I know the group.",'
        "2022-06-20,16:10\n"
        f'2,9,5,Rafael Ortiz,reject,"Too early.","{"x" * 6000}",2022-06-21,10:00\n',
        encoding="utf-8",
    )
    files = [*FILES[:3], str(tmp_path / "metareview.csv")]

    run(files=files)

    crossbar = MetaReview.objects.get(submission__title__startswith="Equilibrium")
    assert crossbar.to_authors == CROSSBAR
    assert crossbar.note_to_chairs.endswith(
        "Recommendation: accept.\n\nFor the chairs only: Strong; I know the group."
    )
    long = MetaReview.objects.get(to_authors="Too early.")
    assert len(long.note_to_chairs) == 5000
    assert long.note_to_chairs.endswith("(cut here: the rest is in the exported file)")
    assert run(files=files).count("unchanged meta-review") == 2

"""What a review kept from the authors in another system stays from them here.

EasyChair writes every text field of a review into one "text" cell, each after
its name in capitals and brackets; the confidential remarks for the programme
committee came with the rest into the comments the authors read. A review of
which nothing answers a question here is not imported as an empty one."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.imports.easychair import _split_text
from reviews.models import Review
from tests.exchange.test_import_reviews import FILES, HELGA

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples" / "easychair"
REMARK = "I reviewed an earlier version (CNN results only); the authors are likely"


def run(*files: str, dry_run: bool = False) -> str:
    out = StringIO()
    options = ["--dry-run"] if dry_run else []
    call_command(
        "import_submissions", "--from", "easychair", *options, *files, stdout=out
    )
    return out.getvalue()


def test_the_confidential_remarks_go_to_the_chairs_not_the_authors(conference, chair):
    out = run(*FILES, dry_run=True)
    run(*FILES)

    assert (
        "“Confidential remarks for the program committee” → “Confidential comments "
        "to the chairs”" in out
    )
    review = Review.objects.get(
        assignment__reviewer__email=HELGA,
        assignment__submission__title__startswith="Eq",
    )
    assert review.answers["confidential"].startswith(REMARK)
    assert "Bremen" not in review.answers["comments"]
    assert "CONFIDENTIAL" not in review.answers["comments"]
    assert review.answers["comments"].endswith("on the same simulator would help.")


def test_without_a_question_for_the_chairs_the_remarks_are_left_out(conference, chair):
    from reviews.models import ReviewForm

    form = ReviewForm.objects.for_conference(conference)
    assert form.questions.filter(key="confidential").update(is_active=False) == 1

    out = run(*FILES, dry_run=True)
    run(*FILES)

    assert "Confidential remarks for the program committee" in out
    assert not any(
        "Bremen" in str(value)
        for review in Review.objects.all()
        for value in review.answers.values()
    )


@pytest.mark.parametrize(
    ("text", "authors", "kept"),
    [
        ("Good.\n(CONFIDENTIAL REMARKS FOR THE PROGRAM COMMITTEE)\nA (GPU) note.",
         "Good.", {"Confidential remarks for the program committee": "A (GPU) note."}),
        ("(SUMMARY) S. (PC-ONLY REMARKS) P. (COMMENTS AFTER REBUTTAL) R.",
         "(SUMMARY) S.\n(COMMENTS AFTER REBUTTAL) R.", {"Pc-only remarks": "P."}),
        ("A plain review (CNN) with (NO SECTIONS).",
         "A plain review (CNN) with (NO SECTIONS).", {}),
        ("(CONFIDENTIAL TO THE CHAIRS) a\n(CONFIDENTIAL TO THE CHAIRS) b", "",
         {"Confidential to the chairs": "a\nb"}),
    ],
)  # fmt: skip
def test_sections_kept_from_the_authors_are_split_off(text, authors, kept):
    assert _split_text(text) == (authors, kept)


def test_a_review_of_which_nothing_maps_is_not_imported(conference, chair, tmp_path):
    source = (SAMPLES / "review.csv").read_text(encoding="utf-8")
    header = source.splitlines()[0]
    empty = '7,7,3,Helga Brandt,2,1,,"originality: 2",,,,,2022-06-12,10:00,no'
    (tmp_path / "review.csv").write_text(f"{header}\n{empty}\n", encoding="utf-8")
    files = [f for f in FILES if not f.endswith("review.csv")]

    out = run(*files, str(tmp_path / "review.csv"), dry_run=True)
    run(*files, str(tmp_path / "review.csv"))

    assert "Reviews: 0 to create, 0 unchanged, 1 skipped." in out
    assert "Helga Brandt: nothing in this review answers a question" in out
    assert not Review.objects.exists()


def test_a_file_of_no_easychair_table_is_named_not_dropped(conference, chair, tmp_path):
    """A review.csv saved without its header line was ignored without a word."""
    rows = (SAMPLES / "review.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    (tmp_path / "review.csv").write_text(rows, encoding="utf-8")
    files = [f for f in FILES if not f.endswith("review.csv")]

    out = run(*files, str(tmp_path / "review.csv"), dry_run=True)

    assert (
        "review.csv was not read: no EasyChair table was found in it. Its header "
        "line names none of EasyChair's columns." in out
    )


def test_a_zip_of_csv_files_is_refused_with_what_to_do(conference, chair, tmp_path):
    import zipfile

    archive = tmp_path / "easychair.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in FILES:
            zipped.write(name, Path(name).name)

    with pytest.raises(CommandError, match="unzip it and give the CSV files"):
        run(str(archive), dry_run=True)

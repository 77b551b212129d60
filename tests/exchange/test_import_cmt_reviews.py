"""CMT's reviews ("Export to Excel > Reviews", or saved as tab-delimited text)
imported with its submissions export: "Qn (question)" columns map onto the review
form, a choice by its label as CMT writes it ("Weak Accept"), and what was for the
PC chairs stays with the chairs."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from exchange.imports.cmt import parse
from exchange.imports.review_plan import choice_of
from haet.models import User
from reviews.models import Review, ReviewQuestion
from reviews.models.reviewing import CONFIDENCE_CHOICES, OVERALL_SCORE_CHOICES
from tests.exchange.test_import_hotcrp_reviews import reviews

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
SUBMISSIONS = SAMPLES / "cmt_submissions.txt"
REVIEWS = SAMPLES / "cmt_reviews.txt"
ANA = "ana.lima@porto-eng.example"


def run(*files: Path, dry_run: bool = False) -> str:
    out = StringIO()
    args = ["--from", "cmt", "--topic-map", str(SAMPLES / "cmt_topic_map.txt")]
    if dry_run:
        args.append("--dry-run")
    call_command("import_submissions", *args, *map(str, files), stdout=out)
    return out.getvalue()


def test_the_reader_takes_the_numbered_questions_by_their_text():
    parsed = parse([("reviews.txt", REVIEWS.read_bytes())])

    first = parsed.reviews[0]
    assert parsed.records == []
    assert len(parsed.reviews) == 4
    assert (first.source_id, first.submission_id, first.name, first.email) == (
        f"101 by {ANA}",
        "101",
        "Ana Lima",
        ANA,
    )
    assert first.scores["Overall Rating"] == "Weak Accept"
    assert first.scores["Confidential comments to the PC chairs"].startswith("I know")
    # An empty answer is no answer.
    assert "confidential comments to the pc chairs" not in parsed.reviews[1].scores


def test_the_import_maps_choices_by_their_labels(conference, chair):
    out = run(SUBMISSIONS, REVIEWS)

    assert "Reviews: 2 created, 0 unchanged, 2 skipped" in out
    assert (
        "Bob Reviewer: the authors declared a conflict with their institution." in out
    )
    assert "The submission is withdrawn." in out
    assert (
        "“Overall Rating” → “Overall score”: “Strong accept”, “Weak accept”, "
        "“Borderline”, “Reject”" in out
    )
    assert (
        "“Confidential comments to the PC chairs” → “Confidential comments to the "
        "chairs”" in out
    )
    assert "No question of the review form matches “Novelty”: left out." in out
    assert reviews() == [
        (
            "Low-Rank Gradient Sk",
            ANA,
            1,
            4,
            "Gradients are sketched to",
            "The SRAM budget is convin",
            "I know the group; no conf",
        ),
        (
            "Stochastic Rounding ",
            ANA,
            3,
            5,
            "Stochastic rounding on Co",
            "Clear energy measurements",
            "",
        ),
    ]
    assert User.objects.get(email=ANA).name == "Ana Lima"
    assert "Reviews: 0 to create, 2 unchanged, 2 skipped." in run(
        SUBMISSIONS, REVIEWS, dry_run=True
    )
    assert Review.objects.count() == 2


def test_the_excel_export_reads_like_the_text(conference, chair, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Main Track"
    for line in REVIEWS.read_text().splitlines():
        sheet.append(line.split("\t"))
    workbook.save(tmp_path / "Reviews.xlsx")

    run(SUBMISSIONS, tmp_path / "Reviews.xlsx")

    assert [r[:4] for r in reviews()] == [
        ("Low-Rank Gradient Sk", ANA, 1, 4),
        ("Stochastic Rounding ", ANA, 3, 5),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Weak Accept", 1),
        ("weak  accept", 1),
        ("2", 2),
        ("+2", 2),
        ("-3", -3),
        ("1: Weak accept", 1),
        ("0. Borderline", 0),
        ("Accept!", None),
        ("4", None),
        ("Weak", None),
        ("", None),
    ],
)
def test_a_choice_is_named_by_its_value_or_its_label(value, expected):
    score = ReviewQuestion(kind="score", label="Overall", choices=OVERALL_SCORE_CHOICES)

    assert choice_of(score, value) == expected


def test_a_confidence_is_named_by_its_full_label():
    confidence = ReviewQuestion(
        kind="confidence", label="Confidence", choices=CONFIDENCE_CHOICES
    )

    assert choice_of(confidence, "4: Confident, but not absolutely certain") == 4
    assert choice_of(confidence, "Fairly confident") is None

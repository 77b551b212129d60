"""HotCRP's reviews (the paper list's "Reviews (CSV)" download) imported with its
paper JSON: each field goes to one question for every review of the file, the dry
run says where and how each value will read, a score field on another scale is
left out whole, and what HotCRP kept from the authors never becomes an answer
they read."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from exchange.imports.hotcrp import parse
from exchange.imports.records import ImportFileError
from reviews.models import Review, ReviewForm, ReviewQuestion
from tests.exchange.confirming import confirm_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
FILES = [
    str(SAMPLES / "hotcrp_submissions.json"),
    str(SAMPLES / "hotcrp_reviews.csv"),
]
INES = "ines.duarte@lisbon-systems.example"
HOTCRP_MERIT = [
    [1, "Reject"],
    [2, "Weak reject"],
    [3, "Weak accept"],
    [4, "Accept"],
    [5, "Strong accept"],
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_submissions", "--from", "hotcrp", *args, *FILES, stdout=out)
    return out.getvalue()


def question(conference, key: str) -> ReviewQuestion:
    return ReviewForm.objects.for_conference(conference).questions.get(key=key)


def on_hotcrps_scale(conference) -> None:
    """What the dry run tells the chair to do: the score question takes the
    choices of HotCRP's "Overall merit"."""
    score = question(conference, "score")
    score.choices = HOTCRP_MERIT
    score.save()


def reviews() -> list[tuple]:
    return sorted(
        (
            r.assignment.submission.title[:20],
            r.assignment.reviewer.email,
            r.score,
            r.confidence,
            r.answers.get("summary", "")[:25],
            r.answers.get("comments", "")[:25],
            r.answers.get("confidential", "")[:25],
        )
        for r in Review.objects.select_related(
            "assignment__submission", "assignment__reviewer"
        )
    )


def test_the_reader_takes_every_column_but_the_reviews_own_as_a_field():
    parsed = parse([(name, Path(name).read_bytes()) for name in FILES])

    [ines, *_] = parsed.reviews
    assert len(parsed.records) == 3
    assert len(parsed.reviews) == 4
    assert (ines.source_id, ines.submission_id, ines.name, ines.email) == (
        "3A",
        "3",
        "Inês Duarte",
        INES,
    )
    # Each field as the file names it, for the chair to recognise.
    assert ines.scores["Overall merit"] == "4"
    assert ines.scores["Comments for authors"].endswith("the meter's sampling error.")
    assert not {"paper", "title", "review", "email"} & {
        name.lower() for name in ines.scores
    }
    # An empty cell is no answer.
    assert "Comments for PC" not in parsed.reviews[1].scores


def test_a_csv_without_the_reviewers_is_refused_with_the_reason():
    with pytest.raises(ImportFileError, match="no “email” or “reviewername”"):
        parse([("reviews.csv", b"paper,title,Overall merit\n3,Joules,2\n")])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,email\nA,a@x.example\n", "neither HotCRP's paper JSON nor"),
        (b'[{"pid": 3, "title": ', "is not JSON"),
    ],
)
def test_other_files_are_refused_with_the_reason(
    conference, chair, tmp_path, content, message
):
    wrong = tmp_path / "export.csv"
    wrong.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_submissions", "--from", "hotcrp", str(wrong))


def test_the_dry_run_says_where_each_field_goes_and_which_reviews_are_skipped(
    conference, chair
):
    out = run("--dry-run")

    assert "Reviews: 2 to create, 0 unchanged, 2 skipped." in out
    for line in (
        "Bob Reviewer: the authors declared a conflict with them.",
        "Submission 6 is not imported from this file.",
        # HotCRP's merit is 1 to 5: 4 and 5 are not ours, and 1 and 2 would
        # read as "Weak accept" and "Accept". The whole field is left out.
        "“Overall merit” has values that are not choices of “Overall score” "
        "(4, 5; its choices are 3, 2, 1, 0, -1, -2, -3): left out of every review.",
        "“Reviewer expertise” → “Confidence”: 4 as “4: Confident, but not "
        "absolutely certain”, 3 as “3: Fairly confident”, 2 as “2: Willing",
        "“Paper summary” → “Summary of the submission”",
        "“Comments for authors” → “Comments to the authors”",
        "“Comments for PC” → “Confidential comments to the chairs”",
        "No question of the review form matches “Originality”: left out.",
    ):
        assert line in out, line
    assert Review.objects.count() == 0


def test_on_the_same_scale_the_import_makes_the_reviews(conference, chair):
    on_hotcrps_scale(conference)

    out = run()

    assert "“Overall merit” → “Overall score”: 1 as “Reject”, 2 as" in out
    assert reviews() == [
        (
            "Measuring the Joules",
            INES,
            4,
            3,
            "A power-meter harness att",
            "The per-phase attribution",
            "Close to a paper I review",
        ),
        (
            "Pruning While Traini",
            "kenji.sato@osaka-edge.example",
            5,
            4,
            "Pruning during on-device ",
            "Strong results on three p",
            "",
        ),
    ]
    assert question(conference, "confidential").visibility == "chairs"


def test_of_two_fields_for_one_question_the_first_answers_it(
    conference, chair, tmp_path
):
    """HotCRP's "Overall merit" and a custom field called "Score" both match the
    score question: the first column answers it in every review (before, the
    one a review listed last won), and the other is said to be left out."""
    on_hotcrps_scale(conference)
    renamed = tmp_path / "reviews.csv"
    renamed.write_bytes(
        (SAMPLES / "hotcrp_reviews.csv").read_bytes().replace(b"Originality", b"Score")
    )
    out = StringIO()

    call_command(
        "import_submissions", "--from", "hotcrp", FILES[0], str(renamed), stdout=out
    )

    assert (
        "“Score” and “Overall merit” both match “Overall score”: “Overall merit” "
        "is imported, “Score” left out." in out.getvalue()
    )
    assert [(r[1], r[2]) for r in reviews()] == [
        (INES, 4),
        ("kenji.sato@osaka-edge.example", 5),
    ]


def test_importing_again_changes_nothing(conference, chair):
    on_hotcrps_scale(conference)
    run()
    before = reviews()

    out = run()

    assert "Reviews: 0 to create, 2 unchanged, 2 skipped." in out
    assert reviews() == before


def test_the_pcs_comments_never_answer_a_question_the_authors_read(conference, chair):
    """A form whose only question called "Comments for PC" is shown to the
    authors (a chair's slip): the PC's comments are left out, not published."""
    on_hotcrps_scale(conference)
    confidential = question(conference, "confidential")
    confidential.is_active = False
    confidential.save()
    ReviewForm.objects.for_conference(conference).questions.create(
        key="pc",
        label="Comments for PC",
        kind=ReviewQuestion.Kind.TEXT,
        is_required=False,
        visibility=ReviewQuestion.Visibility.AUTHORS,
        order=99,
    )

    out = run()

    assert (
        "“Comments for PC” was not for the authors and “Comments for PC” is: "
        "left out." in out
    )
    assert Review.objects.count() == 2
    assert not any("pc" in r.answers for r in Review.objects.all())
    assert not any(
        "Close to a paper" in str(v)
        for r in Review.objects.all()
        for v in r.answers.values()
    )


def test_the_chairs_page_lists_the_fields_and_imports(
    client, conference, chair, django_capture_on_commit_callbacks
):
    on_hotcrps_scale(conference)
    client.force_login(chair)
    files = [
        SimpleUploadedFile(Path(name).name, Path(name).read_bytes()) for name in FILES
    ]

    dry = client.post(reverse("exchange:import"), {"source": "hotcrp", "files": files})

    html = dry.content.decode()
    assert dry.status_code == 200
    assert "<h3>Reviews</h3>" in html
    assert "“Comments for PC” → “Confidential comments to the chairs”" in html
    assert "No question of the review form matches “Originality”: left out." in html
    assert (
        f'<a href="{reverse("reviews:review-form")}">edit the review form</a>' in html
    )
    assert dry.context["plan"].review_count == 2
    summary = confirm_import(client, dry, "hotcrp", django_capture_on_commit_callbacks)
    assert (
        "Reviews: 2 created, 0 unchanged, 2 skipped; 2 reviewers told how to sign in."
        in summary
    )
    assert Review.objects.submitted().count() == 2


FIELDS = ["overall merit", "reviewer expertise", "comments for pc", "novelty"]


@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from(FIELDS),
            st.sampled_from(["", "-4", "-3", "0", "1", "2", "+3", "4", "5", "6", "B"]),
        ),
        max_size=12,
    )
)
def test_a_field_answers_every_review_or_none_and_only_with_choices(rows):
    """Whatever the values, a field is never answered for some reviews and not
    others, an answer to a choice question is one of its choices, and the PC's
    comments reach no question the authors read."""
    from exchange.imports.records import ImportedReview
    from exchange.imports.review_plan import map_answers, map_fields
    from reviews.models.reviewing import DEFAULT_QUESTIONS

    questions = [ReviewQuestion(**spec) for spec in DEFAULT_QUESTIONS]
    questions.append(
        ReviewQuestion(
            key="pc", label="Comments for PC", kind="text", visibility="authors"
        )
    )
    text = next(q for q in questions if q.key == "comments")
    reviews = [
        ImportedReview(
            source_id=str(i), submission_id="1", name="", email="", scores=row
        )
        for i, row in enumerate(rows)
    ]
    fields = map_fields(reviews, questions)
    answered = [map_answers(review, fields, text)[0] for review in reviews]

    by_key = {q.key: q for q in questions}
    for name, mapped in fields.items():
        given_value = [bool(r.scores.get(name, "").strip()) for r in reviews]
        got = [
            mapped.question is not None and mapped.question.key in answers
            for answers in answered
        ]
        assert got == (given_value if mapped.question else [False] * len(reviews))
    for answers in answered:
        assert "pc" not in answers
        for key, value in answers.items():
            question = by_key[key]
            if question.kind != "text":
                assert value in [v for v, _ in question.choices]


def test_a_field_left_out_comes_in_once_the_form_has_its_question(conference, chair):
    """The dry run's advice works: a question labelled as the field answers it."""
    on_hotcrps_scale(conference)
    assert "add a question labelled “Originality” to the review form" in run(
        "--dry-run"
    )
    ReviewForm.objects.for_conference(conference).questions.create(
        key="originality",
        label="Originality",
        kind=ReviewQuestion.Kind.TEXT,
        is_required=False,
        visibility=ReviewQuestion.Visibility.AUTHORS,
        order=99,
    )

    out = run()

    assert "“Originality” → “Originality”" in out
    answered = [r.answers.get("originality") for r in Review.objects.all()]
    assert len(answered) == 2
    assert all(answered)

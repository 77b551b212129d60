"""The review form is data chairs edit: the default questions, the editor page."""

import pytest
from django.urls import reverse

from reviews.forms.reviewing import choices_text, question_initial
from reviews.models import ReviewForm, ReviewQuestion
from reviews.reviewing import save_review
from tests.reviews.conftest import answers

pytestmark = pytest.mark.django_db


def test_the_default_form(conference):
    form = ReviewForm.objects.for_conference(conference)

    rows = [(q.key, q.kind, q.is_required, q.visibility) for q in form.questions.all()]

    assert rows == [
        ("score", "score", True, "authors"),
        ("confidence", "confidence", True, "authors"),
        ("summary", "text", True, "authors"),
        ("strengths", "text", True, "authors"),
        ("weaknesses", "text", True, "authors"),
        ("comments", "text", False, "authors"),
        ("confidential", "text", False, "chairs"),
        ("nominations", "nominations", False, "chairs"),
    ]
    score = form.questions.get(key="score")
    assert [v for v, _ in score.choices] == [3, 2, 1, 0, -1, -2, -3]


def post_data(form: ReviewForm, changes: dict[int, dict], new: dict | None = None):
    """The editor's POST: every question as it is, with `changes` by index, and an
    optional new question in the extra row."""
    rows = [question_initial(q) for q in form.questions.all()]
    data = {
        "form-TOTAL_FORMS": str(len(rows) + 1),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "instructions": "Be kind and specific.",
    }
    for i, row in enumerate([*rows, new or {}]):
        row = {**row, **changes.get(i, {})}
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"form-{i}-{key}"] = "on"
            elif value is not None:
                data[f"form-{i}-{key}"] = str(value)
    return data


def test_chair_edits_a_question_and_adds_one(client, conference, chair):
    form = ReviewForm.objects.for_conference(conference)
    client.force_login(chair)

    response = client.post(
        reverse("reviews:review-form"),
        post_data(
            form,
            {2: {"label": "Summary", "help_text": "Two sentences."}},
            new={
                "label": "Is the code available?",
                "kind": "choice",
                "choices": "yes\nno\nlater",
                "visibility": "reviewers",
                "is_required": True,
            },
        ),
    )

    assert response.status_code == 302
    form.refresh_from_db()
    summary = form.questions.get(key="summary")
    added = form.questions.get(key="is-the-code-available")
    assert (summary.label, summary.help_text) == ("Summary", "Two sentences.")
    assert (added.kind, added.choices, added.is_active, added.order) == (
        "choice",
        [["yes", "yes"], ["no", "no"], ["later", "later"]],
        True,
        8,
    )
    assert form.instructions == "Be kind and specific."


def test_the_reviewer_form_follows_the_edit(client, reviewing):
    form = ReviewForm.objects.for_conference(reviewing.world.conference)
    form.questions.filter(key="strengths").update(is_active=False, label="Old")
    ReviewQuestion.objects.create(
        form=form, key="code", label="Code released?", kind="choice",
        choices=[["y", "Yes"], ["n", "No"]], order=20,
    )  # fmt: skip
    client.force_login(reviewing.reviewer)

    html = client.get(reverse("reviews:submission", args=[1])).content.decode()
    review = save_review(
        reviewing.assignment,
        answers(code="y"),
        by=reviewing.reviewer,
        submit=True,
    )

    assert "Code released?" in html
    assert "q_strengths" not in html
    assert review.answers["code"] == "y"


def test_a_second_score_question_is_refused(client, conference, chair):
    form = ReviewForm.objects.for_conference(conference)
    client.force_login(chair)

    response = client.post(
        reverse("reviews:review-form"),
        post_data(
            form,
            {},
            new={
                "label": "Another score",
                "kind": "score",
                "choices": "1: Low\n2: High",
                "visibility": "authors",
            },
        ),
        follow=True,
    )

    assert "already has a question of the kind" in response.content.decode()
    assert form.questions.filter(kind="score").count() == 1


def test_score_choices_must_be_numbers(client, conference, chair):
    form = ReviewForm.objects.for_conference(conference)
    client.force_login(chair)

    response = client.post(
        reverse("reviews:review-form"),
        post_data(form, {0: {"choices": "high: Strong accept"}}),
    )

    assert response.status_code == 200
    assert "start with a whole number" in response.content.decode()


def test_the_kind_of_an_existing_question_cannot_change(client, conference, chair):
    form = ReviewForm.objects.for_conference(conference)
    client.force_login(chair)

    client.post(
        reverse("reviews:review-form"),
        post_data(form, {2: {"kind": "nominations"}}),
    )

    assert form.questions.get(key="summary").kind == "text"


def test_choices_round_trip():
    choices = [[3, "Strong accept"], [-3, "Strong reject"]]

    assert choices_text(choices) == "3: Strong accept\n-3: Strong reject"

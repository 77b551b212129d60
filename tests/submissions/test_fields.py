"""Chair-defined submission fields (issue 15): kinds, conditions, visibility, the
identity scan, archiving, search, placeholders and the pages."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.fields.forms import AnswersForm, answers_form
from submissions.fields.placeholders import field_placeholders, field_values
from submissions.fields.queries import shown_answers
from submissions.fields.services import (
    AnswerInput,
    archive_field,
    missing_required,
    save_answers,
    save_field,
    set_answer,
)
from submissions.models import FieldAnswer, Submission, SubmissionField
from submissions.search import search_submissions
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

Kind = SubmissionField.Kind
Visibility = SubmissionField.Visibility


@pytest.fixture
def make_field(conference, chair):
    def make(slug, kind, **extra):
        field = SubmissionField(
            conference=conference, slug=slug, label=extra.pop("label", slug), kind=kind
        )
        for key, value in extra.items():
            setattr(field, key, value)
        return save_field(field, by=chair)

    return make


@pytest.fixture
def submission(conference, author):
    return SubmissionFactory(
        conference=conference,
        contact=author,
        authors=[("Grace Hopper", "grace@navy.example.mil", "Naval Research Lab")],
    )


# --- kinds ---------------------------------------------------------------------------
KIND_CASES = [
    (Kind.YES_NO, {}, "yes", "maybe", True, "yes"),
    (Kind.CHOICE, {"choices": ["GPU", "TPU"]}, "TPU", "FPGA", "TPU", "TPU"),
    (Kind.CHOICES, {"choices": ["A", "B", "C"]}, ["A", "C"], ["D"], ["A", "C"], "A; C"),
    (Kind.SHORT_TEXT, {}, "fine", "x" * 301, "fine", "fine"),
    (Kind.LONG_TEXT, {}, "a\nb", "x" * 5001, "a\nb", "a\nb"),
    (Kind.NUMBER, {}, "2.5", "two", 2.5, "2.5"),
    (Kind.URL, {}, "https://example.org/x", "not a url", "https://example.org/x", None),
]


@pytest.mark.parametrize(("kind", "extra", "good", "bad", "value", "text"), KIND_CASES)
def test_each_kind_validates_and_stores(
    make_field, submission, author, kind, extra, good, bad, value, text
):
    field = make_field("q", kind, **extra)

    refused = AnswersForm({"answers-q": bad}, fields=[field])
    accepted = AnswersForm({"answers-q": good}, fields=[field])

    assert not refused.is_valid()
    assert "q" in refused.errors
    assert accepted.is_valid(), accepted.errors
    [answer] = save_answers(submission, accepted.inputs(), by=author)
    assert answer.value == value
    assert answer.text == (text if text is not None else value)


def test_a_file_answer_is_stored_privately_and_downloaded_by_authors_only(
    client, make_field, submission, author, other_author
):
    field = make_field("slides", Kind.FILE)
    upload = SimpleUploadedFile("poster.pdf", b"%PDF-1.4 poster", "application/pdf")
    form = AnswersForm({}, {"answers-slides": upload}, fields=[field])
    assert form.is_valid()

    [answer] = save_answers(submission, form.inputs(), by=author)
    url = reverse("submissions:field-file", args=[submission.number, field.pk])
    client.force_login(other_author)
    stranger = client.get(url)
    client.force_login(author)
    response = client.get(url)

    assert answer.text == "poster.pdf"
    assert "poster" not in answer.file.name  # a random name in private storage
    assert stranger.status_code == 404
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 poster"
    form_page = client.get(reverse("submissions:edit", args=[submission.number]))
    assert "Stored: poster.pdf." in form_page.content.decode()


def test_required_answers_are_needed_to_submit_not_to_save_a_draft(make_field):
    field = make_field("in_person", Kind.YES_NO, required=True)

    draft = AnswersForm({}, fields=[field])
    submitting = AnswersForm({}, fields=[field], submitting=True)

    assert draft.is_valid()
    assert not submitting.is_valid()
    assert submitting.errors["in_person"] == ["This question needs an answer."]


# --- conditions ----------------------------------------------------------------------
def test_a_conditional_field_is_asked_only_when_the_other_answer_says_so(
    make_field, submission, author
):
    prize = make_field("prize", Kind.YES_NO)
    energy = make_field(
        "energy_kwh",
        Kind.NUMBER,
        required=True,
        condition_field=prize,
        condition_value="yes",
    )
    fields = [prize, energy]

    not_entered = AnswersForm({"answers-prize": "no"}, fields=fields, submitting=True)
    entered = AnswersForm({"answers-prize": "yes"}, fields=fields, submitting=True)
    with_value = AnswersForm(
        {"answers-prize": "yes", "answers-energy_kwh": "12"},
        fields=fields,
        submitting=True,
    )

    assert not_entered.is_valid()
    assert not entered.is_valid()
    assert "energy_kwh" in entered.errors
    assert with_value.is_valid()
    save_answers(submission, with_value.inputs(), by=author)
    assert missing_required(submission, stage="submission") == []

    # Changing the condition's answer drops the answer no longer asked.
    set_answer(submission, prize, "no", by=author)
    changed = AnswersForm(
        {"answers-prize": "no", "answers-energy_kwh": "12"}, fields=fields
    )
    assert changed.is_valid()
    save_answers(submission, changed.inputs(), by=author)
    assert not FieldAnswer.objects.filter(field=energy).exists()


def test_a_condition_cannot_loop(make_field, chair):
    first = make_field("first", Kind.YES_NO)
    second = make_field(
        "second", Kind.YES_NO, condition_field=first, condition_value="yes"
    )
    first.condition_field, first.condition_value = second, "yes"

    with pytest.raises(ValidationError, match="depend on each other"):
        save_field(first, by=chair)


# --- visibility and the identity scan ----------------------------------------------
def test_reviewers_never_get_authors_only_answers(
    conference, make_field, submission, author, reviewer
):
    student = make_field("student", Kind.YES_NO)  # authors and chairs only
    hardware = make_field("hardware", Kind.SHORT_TEXT, visibility=Visibility.REVIEWERS)
    set_answer(submission, student, "yes", by=author)
    set_answer(submission, hardware, "8 GPUs", by=author)

    placeholders = field_placeholders(conference, audience="reviewers")
    values = field_values([submission.pk], audience="reviewers")
    shown = shown_answers(submission.pk, conference, audience="reviewers")
    searched = search_submissions(
        Submission.objects.all(), "field:student=yes", user=reviewer, blind=True
    )

    assert placeholders == ["field.hardware"]
    assert values == {submission.pk: {"field.hardware": "8 GPUs"}}
    assert [item.field.slug for item in shown] == ["hardware"]
    assert searched.error is not None
    assert "No such field “student”" in searched.error.message
    assert "student" not in searched.error.message.split(":", 1)[1]
    assert field_placeholders(conference, audience="authors") == [
        "field.student",
        "field.hardware",
    ]
    assert field_values([submission.pk], audience="authors")[submission.pk] == {
        "field.student": "yes",
        "field.hardware": "8 GPUs",
    }
    assert field_values([submission.pk], audience="anyone") == {submission.pk: {}}


def test_a_reviewer_visible_answer_naming_an_author_is_refused(
    make_field, submission, author
):
    notes = make_field("notes", Kind.LONG_TEXT, visibility=Visibility.REVIEWERS)
    private = make_field("private_notes", Kind.LONG_TEXT)

    with pytest.raises(ValidationError, match="Grace Hopper"):
        set_answer(
            submission, notes, "Extends the compiler by Grace Hopper.", by=author
        )
    flagged = set_answer(
        submission, notes, "Run at the Naval Research Lab cluster.", by=author
    )
    unscanned = set_answer(submission, private, "Grace Hopper will present.", by=author)

    assert not FieldAnswer.objects.filter(field=notes, text__contains="Hopper")
    assert "Naval Research Lab" in flagged.identity_warning
    assert unscanned.identity_warning == ""


def test_the_form_refuses_the_name_and_keeps_what_was_typed(
    client, make_field, conference, author, frozen
):
    from tests.submissions.conftest import BEFORE_DEADLINE

    frozen(BEFORE_DEADLINE)
    make_field("setup", Kind.SHORT_TEXT, visibility=Visibility.REVIEWERS)
    client.force_login(author)
    typed = "Ada Author ran this on 4 GPUs"

    response = client.post(
        reverse("submissions:new"),
        {
            "title": "Kept title",
            "abstract": "",
            "include_in_proceedings": "no",
            "authors-TOTAL_FORMS": "1",
            "authors-INITIAL_FORMS": "0",
            "authors-0-name": author.name,
            "authors-0-email": author.email,
            "authors-0-affiliation": "Uni A",
            "authors-0-ORDER": "1",
            "answers-setup": typed,
            "action": "save",
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "names an author" in body
    assert typed in body
    assert "Kept title" in body
    assert not Submission.objects.exists()


# --- archiving and changed choices ---------------------------------------------------
def test_an_archived_field_keeps_its_answers_for_chairs(
    conference, make_field, submission, author, chair
):
    field = make_field("recording", Kind.YES_NO)
    set_answer(submission, field, "yes", by=author)

    archive_field(field, by=chair)

    assert FieldAnswer.objects.get(field=field).text == "yes"
    chairs = shown_answers(submission.pk, conference, audience="chairs")
    authors = shown_answers(submission.pk, conference, audience="authors")
    assert [(i.field.slug, i.answer.text) for i in chairs] == [("recording", "yes")]
    assert authors == []
    assert answers_form(submission, conference).fields == {}
    found = search_submissions(
        Submission.objects.all(), "field:recording=yes", user=chair
    )
    assert list(found.queryset) == [submission]


def test_a_changed_choice_list_keeps_old_values_readable(
    make_field, submission, author, chair, conference
):
    field = make_field("hardware", Kind.CHOICE, choices=["GPU", "TPU"])
    set_answer(submission, field, "TPU", by=author)

    field.choices = ["GPU", "IPU"]
    save_field(field, by=chair)
    form = answers_form(submission, conference)

    assert FieldAnswer.objects.get(field=field).text == "TPU"
    assert ("TPU", "TPU (no longer offered)") in form.fields["hardware"].choices
    assert form.initial["hardware"] == "TPU"


# --- search --------------------------------------------------------------------------
def test_field_search_terms(conference, make_field, author, chair):
    student = make_field("student", Kind.YES_NO)
    prize = make_field("prize", Kind.CHOICES, choices=["Energy", "Speed"])
    hours = make_field("hours", Kind.NUMBER)
    first, second = (
        SubmissionFactory(conference=conference, contact=author) for _ in range(2)
    )
    set_answer(first, student, "yes", by=author)
    set_answer(second, student, "no", by=author)
    set_answer(first, prize, ["Energy", "Speed"], by=author)
    set_answer(second, prize, ["Speed"], by=author)
    set_answer(first, hours, "3", by=author)
    set_answer(second, hours, "12.5", by=author)

    def numbers(query):
        result = search_submissions(Submission.objects.all(), query, user=chair)
        assert result.error is None, result.error
        return sorted(result.queryset.values_list("number", flat=True))

    assert numbers("field:student=yes") == [first.number]
    assert numbers("field:student=NO") == [second.number]
    assert numbers("field:prize=energy") == [first.number]
    assert numbers("field:prize=Speed") == [first.number, second.number]
    assert numbers("field:hours>10") == [second.number]
    assert numbers("field:hours<=3") == [first.number]
    assert numbers("NOT field:student=yes") == [second.number]
    bad = search_submissions(Submission.objects.all(), "field:nope=1", user=chair)
    assert "No such field “nope”" in bad.error.message
    assert "student" in bad.error.message
    worse = search_submissions(Submission.objects.all(), "field:hours=x", user=chair)
    assert "numbers" in worse.error.message


# --- pages ---------------------------------------------------------------------------
def test_chair_defines_a_field_and_bad_input_keeps_what_was_typed(
    client, chair, conference
):
    client.force_login(chair)
    data = {
        "label": "Hardware used",
        "slug": "Bad Slug",
        "kind": "choice",
        "choices_text": "",
        "stage": "submission",
        "visibility": "reviewers",
        "condition_value": "",
    }

    refused = client.post(reverse("submissions:chair-field-new"), data)
    data.update(slug="hardware", choices_text="GPU\nTPU\n")
    saved = client.post(reverse("submissions:chair-field-new"), data)

    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Hardware used" in body
    assert "A choice field needs its options." in body
    assert "lower-case letters" in body
    assert saved.status_code == 302
    field = SubmissionField.objects.get()
    assert (field.slug, field.choices, field.visibility) == (
        "hardware",
        ["GPU", "TPU"],
        "reviewers",
    )
    listing = client.get(reverse("submissions:chair-fields"))
    assert "Hardware used" in listing.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("author", 404), ("reviewer", 404), ("chair", 200)],
)
def test_the_fields_page_is_for_chairs(client, request, conference, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("submissions:chair-fields"))

    assert response.status_code == status


def test_reorder_archive_and_restore(client, chair, make_field):
    first = make_field("first", Kind.YES_NO)
    second = make_field("second", Kind.YES_NO)
    client.force_login(chair)

    client.post(
        reverse("submissions:chair-field-move", args=[second.pk]), {"direction": "up"}
    )
    order = list(SubmissionField.objects.values_list("slug", flat=True))
    client.post(reverse("submissions:chair-field-archive", args=[first.pk]))
    first.refresh_from_db()
    archived = first.is_archived
    client.post(reverse("submissions:chair-field-restore", args=[first.pk]))
    first.refresh_from_db()

    assert order == ["second", "first"]
    assert archived
    assert not first.is_archived


def test_the_author_answers_in_the_submission_form(
    client, make_field, submission, author, frozen
):
    from tests.submissions.conftest import BEFORE_DEADLINE

    frozen(BEFORE_DEADLINE)
    make_field("student", Kind.YES_NO, label="The first author is a student")
    client.force_login(author)
    form = client.get(reverse("submissions:edit", args=[submission.number]))
    data = {
        "title": submission.title,
        "abstract": submission.abstract,
        "include_in_proceedings": "no",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": author.name,
        "authors-0-email": author.email,
        "authors-0-affiliation": "Uni A",
        "authors-0-ORDER": "1",
        "answers-student": "yes",
        "action": "save",
    }

    response = client.post(reverse("submissions:edit", args=[submission.number]), data)
    detail = client.get(reverse("submissions:detail", args=[submission.number]))

    assert "The first author is a student" in form.content.decode()
    assert response.status_code == 302
    assert FieldAnswer.objects.get(submission=submission).text == "yes"
    assert "The first author is a student" in detail.content.decode()


def test_chair_list_columns_cost_constant_queries(
    client, conference, make_field, chair, author
):
    field = make_field("student", Kind.YES_NO)
    client.force_login(chair)
    url = reverse("submissions:chair-list")

    def count(n):
        for _ in range(n):
            submission = SubmissionFactory(conference=conference, contact=author)
            set_answer(submission, field, "yes", by=author)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    client.get(url)  # the session and the conference, read once
    few, _ = count(2)
    many, body = count(6)

    assert few == many
    assert 'class="field-cell">yes<' in body


def test_field_list_costs_constant_queries(client, chair, make_field):
    client.force_login(chair)
    url = reverse("submissions:chair-fields")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_field("a", Kind.YES_NO)
    few = count()
    for slug in ("b", "c", "d"):
        make_field(
            slug,
            Kind.YES_NO,
            condition_field=SubmissionField.objects.first(),
            condition_value="yes",
        )
    assert count() == few


def test_submit_button_refuses_missing_required_answers(
    client, make_field, submission, author, frozen
):
    from tests.submissions.conftest import BEFORE_DEADLINE

    frozen(BEFORE_DEADLINE)
    submission.state = Submission.State.DRAFT
    submission.save()
    make_field("in_person", Kind.YES_NO, required=True, label="In person")
    client.force_login(author)

    response = client.post(
        reverse("submissions:submit", args=[submission.number]), follow=True
    )

    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert "Submitting needs an answer to “In person”." in response.content.decode()


def test_placeholder_names_follow_the_fields(conference, make_field):
    make_field("student", Kind.YES_NO)
    make_field("hardware", Kind.SHORT_TEXT, visibility=Visibility.REVIEWERS)

    assert field_placeholders(conference, audience="authors") == [
        "field.student",
        "field.hardware",
    ]
    assert field_placeholders(conference, audience="reviewers") == ["field.hardware"]
    assert field_placeholders(conference, audience="chairs") == []


def test_save_answers_input_for_an_empty_answer_removes_it(
    make_field, submission, author
):
    field = make_field("hardware", Kind.SHORT_TEXT)
    set_answer(submission, field, "GPU", by=author)

    save_answers(submission, [AnswerInput(field, "")], by=author)

    assert not FieldAnswer.objects.exists()


def test_flag_identity_finds_a_flagged_answer(make_field, submission, author, chair):
    notes = make_field("notes", Kind.LONG_TEXT, visibility=Visibility.REVIEWERS)
    set_answer(submission, notes, "Run at the Naval Research Lab.", by=author)

    found = search_submissions(Submission.objects.all(), "flag:identity", user=chair)

    assert list(found.queryset) == [submission]


def test_the_reviewer_page_shows_reviewer_visible_answers_only(
    client, make_field, submission, author, chair, reviewer
):
    from reviews.assigning import assign_reviewer

    student = make_field("student", Kind.YES_NO, label="First author is a student")
    hardware = make_field(
        "hardware",
        Kind.SHORT_TEXT,
        label="Hardware used",
        visibility=Visibility.REVIEWERS,
    )
    set_answer(submission, student, "yes", by=author)
    set_answer(submission, hardware, "Eight A100 GPUs", by=author)
    assign_reviewer(submission, reviewer, by=chair, notify=False)
    client.force_login(reviewer)

    response = client.get(reverse("reviews:submission", args=[submission.number]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Hardware used" in body
    assert "Eight A100 GPUs" in body
    assert "First author is a student" not in body


def test_a_conflicted_chair_does_not_count_their_own_submissions_answers(
    client, conference, make_field, chair, author
):
    field = make_field("student", Kind.YES_NO, label="Student first author")
    theirs = SubmissionFactory(conference=conference, contact=chair)  # conflicted
    other = SubmissionFactory(conference=conference, contact=author)
    set_answer(theirs, field, "yes", by=chair)
    set_answer(other, field, "no", by=author)
    client.force_login(chair)

    response = client.get(reverse("submissions:chair-fields"))

    [row] = [f for f in response.context["active"] if f.pk == field.pk]
    assert row.answer_count == 1


def test_answers_are_in_the_audit_log(make_field, submission, author):
    from haet.audit.models import AuditEntry

    field = make_field("hardware", Kind.SHORT_TEXT)
    set_answer(submission, field, "GPU", by=author)
    set_answer(submission, field, "TPU", by=author)

    entries = AuditEntry.objects.filter(
        object_type="submissions.fieldanswer", submission_id=submission.pk
    ).order_by("pk")

    assert [e.after.get("text") for e in entries] == ["GPU", "TPU"]
    assert entries.last().before.get("text") == "GPU"

"""Submission fields in the conference export (issue 15 with issue 18): every
field, its condition, an archived one and the answers survive export → import
into a fresh database → export."""

import pytest

from exchange.exporting import dumps, export_conference
from exchange.importing import import_conference
from submissions.fields.services import archive_field, save_field, set_answer
from submissions.models import FieldAnswer, SubmissionField
from tests.exchange.test_round_trip import wipe_database
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

Kind = SubmissionField.Kind


def test_fields_and_answers_round_trip(conference, chair, author):
    submission = SubmissionFactory(conference=conference, contact=author)
    prize = save_field(
        SubmissionField(
            conference=conference,
            slug="prize",
            label="Prize",
            kind=Kind.CHOICES,
            choices=["Energy", "Speed"],
        ),
        by=chair,
    )
    kwh = save_field(
        SubmissionField(
            conference=conference,
            slug="kwh",
            label="kWh",
            kind=Kind.NUMBER,
            condition_field=prize,
            condition_value="Energy",
            visibility=SubmissionField.Visibility.REVIEWERS,
        ),
        by=chair,
    )
    old = save_field(
        SubmissionField(
            conference=conference, slug="old", label="Old", kind=Kind.YES_NO
        ),
        by=chair,
    )
    set_answer(submission, prize, ["Energy"], by=author)
    set_answer(submission, kwh, "41.5", by=author)
    set_answer(submission, old, "yes", by=author)
    archive_field(old, by=chair)
    document = export_conference()
    first = dumps(document)

    wipe_database()
    import_conference(document)

    assert [f["slug"] for f in document["submission_fields"]] == ["prize", "kwh", "old"]
    assert len(document["field_answers"]) == 3
    assert dumps(export_conference()) == first
    imported = SubmissionField.objects.get(slug="kwh")
    assert imported.condition_field.slug == "prize"
    assert SubmissionField.objects.get(slug="old").is_archived
    assert FieldAnswer.objects.get(field=imported).value == 41.5


def test_a_chairs_export_leaves_out_answers_of_conflicted_submissions(
    conference, chair, author
):
    field = save_field(
        SubmissionField(
            conference=conference, slug="student", label="Student", kind=Kind.YES_NO
        ),
        by=chair,
    )
    mine = SubmissionFactory(conference=conference, contact=author)
    theirs = SubmissionFactory(conference=conference, contact=chair)  # conflicted
    set_answer(mine, field, "yes", by=author)
    set_answer(theirs, field, "no", by=author)

    document = export_conference(viewer=chair)

    assert [a["text"] for a in document["field_answers"]] == ["yes"]

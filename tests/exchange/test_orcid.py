"""ORCID iDs per author line: the ISO 7064 11,2 check digit, the submission
form (what was typed stays on an error), and the exports."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchange.exporting import export_conference
from proceedings.exports import accepted_csv, accepted_json
from proceedings.queries import AcceptedSubmission
from submissions.forms import AuthorForm
from submissions.orcid import check_digit, normalize_orcid, validate_orcid
from tests.factories import SubmissionFactory


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0097",  # ORCID's own example
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check digit X (10)
    ],
)
def test_valid_orcids_pass(value):
    validate_orcid(value)
    assert check_digit(value.replace("-", "")[:15]) == value[-1]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1694-2330", "orcid_checksum"),
        ("0000-0002-1825", "orcid_format"),
        ("orcid please", "orcid_format"),
    ],
)
def test_invalid_orcids_are_refused_with_the_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_orcid(value)
    assert error.value.code == code


@pytest.mark.parametrize(
    "typed",
    [
        "https://orcid.org/0000-0002-1825-0097",
        "0000000218250097",
        " 0000-0002-1825-0097 ",
    ],
)
def test_an_orcid_is_stored_in_one_form(typed):
    assert normalize_orcid(typed) == "0000-0002-1825-0097"
    form = AuthorForm(data={"name": "Ada", "email": "ada@x.example", "orcid": typed})
    assert form.is_valid()
    assert form.cleaned_data["orcid"] == "0000-0002-1825-0097"


@pytest.mark.django_db
def test_the_submission_form_keeps_a_wrong_orcid_as_typed_with_the_message(
    client, conference, author, frozen
):
    frozen("2022-05-20T12:00:00Z")
    client.force_login(author)
    data = {
        "title": "Typed with care",
        "abstract": "Kept on an error.",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "30",
        "authors-0-name": "Ada Author",
        "authors-0-email": "author@example.org",
        "authors-0-affiliation": "Uni A",
        "authors-0-orcid": "0000-0002-1825-0098",
        "authors-0-ORDER": "1",
        "include_in_proceedings": "no",
    }

    response = client.post(reverse("submissions:new"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "the check digit" in html
    assert 'value="0000-0002-1825-0098"' in html
    assert 'value="Typed with care"' in html


@pytest.mark.django_db
def test_an_orcid_is_saved_on_the_author_line_and_shown_to_chairs(
    client, conference, author, chair, frozen
):
    frozen("2022-05-20T12:00:00Z")
    client.force_login(author)
    data = {
        "title": "With an iD",
        "abstract": "Saved.",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "30",
        "authors-0-name": "Ada Author",
        "authors-0-email": "author@example.org",
        "authors-0-orcid": "https://orcid.org/0000-0002-1825-0097",
        "authors-0-ORDER": "1",
        "include_in_proceedings": "no",
    }

    response = client.post(reverse("submissions:new"), data)

    assert response.status_code == 302
    from submissions.models import Author

    author_line = Author.objects.get(email="author@example.org")
    assert author_line.orcid == "0000-0002-1825-0097"
    client.force_login(chair)
    page = client.get(
        reverse("submissions:chair-detail", args=[author_line.submission.number])
    )
    assert "0000-0002-1825-0097" in page.content.decode()


@pytest.mark.django_db
def test_the_conference_export_carries_the_orcid(conference, author):
    submission = SubmissionFactory(contact=author, conference=conference)
    submission.authors.create(
        name="Ada", email="ada@x.example", orcid="0000-0002-1825-0097"
    )

    document = export_conference()

    orcids = {a["email"]: a["orcid"] for a in document["authors"]}
    assert orcids["ada@x.example"] == "0000-0002-1825-0097"


def test_the_accepted_exports_carry_the_orcid(settings):
    settings.SITE_URL = "https://haet.example"
    entry = AcceptedSubmission(
        pk=1,
        number=3,
        title="Joules",
        outcome="accept_poster",
        include_in_proceedings=False,
        arxiv_url="",
        has_pdf=False,
        file_stem="HAET2022-3",
        camera_ready=None,
        authors=[
            {
                "name": "Hana",
                "email": "h@x.example",
                "affiliation": "Brno",
                "orcid": "0000-0002-1825-0097",
            }
        ],
    )

    assert "0000-0002-1825-0097" in accepted_csv([entry]).splitlines()[1]

    class Conf:
        acronym = "HAET"
        booktitle = "Workshop"

    data = json.loads(accepted_json([entry], Conf()))
    assert data["papers"][0]["authors"][0]["orcid"] == "0000-0002-1825-0097"

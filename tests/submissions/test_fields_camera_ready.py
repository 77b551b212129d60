"""Fields asked at camera-ready: on the camera-ready page, required there, saved
with it; not on the submission form."""

import pytest
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from submissions.fields.forms import answers_form
from submissions.fields.services import save_field, set_answer
from submissions.models import FieldAnswer, SubmissionField
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

BEFORE_CAMERA_READY = "2022-06-20T12:00:00Z"


@pytest.fixture
def accepted(conference, author, chair):
    submission = SubmissionFactory(
        conference=conference, number=1, contact=author, title="Sparse training"
    )
    decide(submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(conference, by=chair)
    release_decisions(conference, tokens=tokens, by=chair, notify=False)
    return submission


def test_a_camera_ready_field_is_asked_and_required_there(
    client, conference, chair, author, accepted, frozen
):
    frozen(BEFORE_CAMERA_READY)
    field = save_field(
        SubmissionField(
            conference=conference,
            slug="in_person",
            label="Will present in person at ICML",
            kind=SubmissionField.Kind.YES_NO,
            required=True,
            stage=SubmissionField.Stage.CAMERA_READY,
        ),
        by=chair,
    )
    client.force_login(author)
    url = reverse("decisions:camera-ready", args=[1])
    data = {
        "title": "Sparse training, final",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": "Ada Author",
        "authors-0-affiliation": "Uni A",
        "authors-0-email": "author@example.org",
        "proceedings": "yes",
        "copyright_accepted": "on",
        "arxiv_url": "",
    }

    page = client.get(url)
    refused = client.post(url, data)
    saved = client.post(url, {**data, "answers-in_person": "no"})

    assert "Will present in person at ICML" in page.text
    assert answers_form(accepted, conference).fields == {}  # not at submission
    assert refused.status_code == 200
    assert "This question needs an answer." in refused.text
    assert "Sparse training, final" in refused.text  # kept
    assert saved.status_code == 302
    assert FieldAnswer.objects.get(field=field).text == "no"


def test_public_answers_appear_on_the_accepted_papers_page_only(
    client, conference, chair, author, accepted
):
    def field(slug, label, visibility):
        return save_field(
            SubmissionField(
                conference=conference,
                slug=slug,
                label=label,
                kind=SubmissionField.Kind.YES_NO,
                visibility=visibility,
            ),
            by=chair,
        )

    public = field("non_archival", "Non-archival", SubmissionField.Visibility.PUBLIC)
    private = field("student", "Student first author", "authors")
    set_answer(accepted, public, "yes", by=author)
    set_answer(accepted, private, "yes", by=author)
    draft = SubmissionFactory(conference=conference, contact=author, title="Not yet")
    set_answer(draft, public, "yes", by=author)

    page = client.get(reverse("accepted:list"))

    assert page.status_code == 200
    assert "Non-archival" in page.text
    assert "Student first author" not in page.text
    assert "Not yet" not in page.text

"""Issue #14 item 2: the slides/poster form and the camera-ready form are separate
forms and must not clobber each other's fields. Uploading slides before the
camera-ready form was ever saved used to create the camera-ready row with
"Do not include" and no arXiv link, which the form then showed and saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from proceedings.camera_ready import save_camera_ready
from proceedings.models import CameraReady
from proceedings.presentations import upload_presentation
from tests.proceedings.test_camera_ready import BEFORE, details

pytestmark = pytest.mark.django_db

ARXIV = "https://arxiv.org/abs/2206.01234"


def slides_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", "application/pdf")


@pytest.fixture
def chosen(world, chair):
    """#1 accepted and released; its authors chose the proceedings and gave an
    arXiv link when submitting."""
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    submission = world.submission
    submission.include_in_proceedings = True
    submission.arxiv_url = ARXIV
    submission.save(update_fields=["include_in_proceedings", "arxiv_url"])
    return world


@pytest.mark.parametrize("kind", ["slides", "poster"])
def test_presentation_first_keeps_proceedings_and_arxiv(chosen, frozen, kind):
    frozen(BEFORE)

    camera = upload_presentation(
        chosen.submission, kind, slides_file(), by=chosen.author
    )

    camera.refresh_from_db()
    assert getattr(camera, kind)
    assert camera.include_in_proceedings is True
    assert camera.arxiv_url == ARXIV


def test_camera_ready_page_after_slides_shows_the_choices(chosen, frozen, login):
    frozen(BEFORE)
    client = login(chosen.author)
    url = reverse("decisions:camera-ready", args=[1])

    response = client.post(
        reverse("decisions:presentation", args=[1]),
        {"kind": "slides", "file": slides_file()},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()

    assert 'value="yes" required id="id_proceedings_0" checked>' in page
    assert 'value="no" required id="id_proceedings_1">' in page
    assert f'value="{ARXIV}"' in page


def test_saving_the_camera_ready_keeps_the_slides(chosen, frozen):
    frozen(BEFORE)
    upload_presentation(chosen.submission, "slides", slides_file(), by=chosen.author)
    stale = CameraReady.objects.get(submission=chosen.submission)

    save_camera_ready(chosen.submission, details(arxiv_url=ARXIV), by=chosen.author)
    # A poster uploaded from a page loaded before that save: only the poster moves.
    upload_presentation(chosen.submission, "poster", slides_file(), by=chosen.author)

    camera = CameraReady.objects.get(pk=stale.pk)
    assert camera.slides
    assert camera.poster
    assert camera.include_in_proceedings is True
    assert camera.arxiv_url == ARXIV
    assert camera.copyright_accepted_at is not None


@pytest.mark.parametrize(
    ("persona", "saved"),
    [
        ("anonymous", False),
        ("author", True),
        ("coauthor", True),
        ("reviewer", False),
        ("conflicted_reviewer", False),
        ("other_author", False),
        ("chair", True),
        ("conflicted_chair", False),
    ],
)
def test_presentation_upload_per_role(chosen, frozen, client, persona, saved):
    frozen(BEFORE)
    user = chosen.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.post(
        reverse("decisions:presentation", args=[1]),
        {"kind": "slides", "file": slides_file()},
    )

    camera = CameraReady.objects.filter(submission=chosen.submission).first()
    if saved:
        assert response.status_code == 302
        assert camera.slides
        assert camera.include_in_proceedings is True
        assert camera.arxiv_url == ARXIV
    else:
        assert response.status_code in (302, 403, 404)
        if persona == "anonymous":
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code in (403, 404)
        assert camera is None


# --- one form, two buttons (issue 14 item 2) ---------------------------------------
def typed(**changes) -> dict:
    """The camera-ready page's form as typed, with "Upload slides or poster"."""
    return {
        "title": "A typed, unsaved title",
        "proceedings": "no",
        "copyright_accepted": "on",
        "arxiv_url": "2301.00007",
        "authors-TOTAL_FORMS": "2",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": "Typed Person",
        "authors-0-affiliation": "Typed Lab",
        "authors-0-email": "typed@lab.example",
        "authors-1-name": "",
        "presentation-kind": "slides",
        "presentation-file": slides_file(),
        "upload_presentation": "1",
        **changes,
    }


def test_the_upload_button_saves_the_slides_and_shows_the_typed_values(
    chosen, frozen, login
):
    frozen(BEFORE)
    client = login(chosen.author)

    response = client.post(reverse("decisions:camera-ready", args=[1]), typed())

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="A typed, unsaved title"' in page
    assert 'value="2301.00007"' in page
    assert 'value="no" required id="id_proceedings_1" checked>' in page
    assert 'value="Typed Person"' in page
    assert 'value="Typed Lab"' in page
    assert "not saved yet" in page
    assert "Saved the slides" in page
    camera = CameraReady.objects.get(submission=chosen.submission)
    assert camera.slides
    assert camera.arxiv_url == ARXIV  # the typed link is not saved
    assert camera.include_in_proceedings is True
    assert camera.title != "A typed, unsaved title"
    assert camera.copyright_accepted_at is None


def test_no_file_says_so_and_keeps_the_typed_values(chosen, frozen, login):
    frozen(BEFORE)
    client = login(chosen.author)

    response = client.post(
        reverse("decisions:camera-ready", args=[1]), typed(**{"presentation-file": ""})
    )

    page = response.content.decode()
    assert "Choose slides or poster and a PDF file." in page
    assert 'value="2301.00007"' in page
    assert not CameraReady.objects.filter(submission=chosen.submission).exists()


@pytest.mark.parametrize(
    ("persona", "saved"),
    [
        ("anonymous", False),
        ("author", True),
        ("reviewer", False),
        ("other_author", False),
        ("chair", True),
        ("conflicted_chair", False),
    ],
)
def test_the_upload_button_per_role(chosen, frozen, client, persona, saved):
    frozen(BEFORE)
    user = chosen.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.post(reverse("decisions:camera-ready", args=[1]), typed())

    camera = CameraReady.objects.filter(submission=chosen.submission).first()
    if saved:
        assert response.status_code == 200
        assert camera.slides
        assert camera.arxiv_url == ARXIV
    else:
        assert response.status_code in (302, 404)
        assert camera is None

"""The camera-ready page in a real browser (issue #14 item 2): uploading slides or a
poster keeps the proceedings choice and the arXiv link, saved or only typed. The
page is one form with two buttons; "Upload slides or poster" saves only those."""

import re

import pytest

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from proceedings.models import CameraReady
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in
from tests.factories import SubmissionFactory
from tests.submissions.pdf_factory import build_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARXIV = "https://arxiv.org/abs/2206.01234"
OTHER_ARXIV = "https://arxiv.org/abs/2301.00007"


def test_slides_and_poster_keep_the_camera_ready_choices(
    page, conference, chair, author, settings, artifacts, tmp_path
):
    settings.HAET_NOW = "2022-06-20T12:00:00Z"  # camera-ready open until 30 June
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Efficient training",
        include_in_proceedings=True,
        arxiv_url=ARXIV,
    )
    decide(submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(conference, by=chair)
    release_decisions(conference, tokens=tokens, by=chair, notify=False)
    slides = build_paper(tmp_path / "slides.pdf")
    final = build_paper(
        tmp_path / "final.pdf", byline=("Ada Author", "Uni A", "author@example.org")
    )
    include = re.compile("Include the paper")
    arxiv = page.get_by_label("arXiv link (optional)")

    log_in(page, author.email, PASSWORD)
    page.goto("/decisions/1/camera-ready/")
    assert page.get_by_label(include).is_checked()
    assert arxiv.input_value() == ARXIV

    # Slides first, before the camera-ready form was ever saved.
    page.select_option("select[name=presentation-kind]", "slides")
    page.set_input_files("input[name=presentation-file]", str(slides))
    page.get_by_role("button", name="Upload slides or poster").click()
    assert "Saved the slides" in page.locator(".messages").inner_text()
    assert page.get_by_label(include).is_checked()
    assert arxiv.input_value() == ARXIV

    # The camera-ready, with a new arXiv link; then the poster.
    page.get_by_label("I accept the licence to publish").check()
    arxiv.fill(OTHER_ARXIV)
    page.set_input_files("input[name=pdf]", str(final))
    page.get_by_role("button", name="Save the camera-ready").click()
    assert "Saved the camera-ready of #1" in page.locator(".messages").inner_text()
    page.select_option("select[name=presentation-kind]", "poster")
    page.set_input_files("input[name=presentation-file]", str(slides))
    page.get_by_role("button", name="Upload slides or poster").click()
    assert "Saved the poster" in page.locator(".messages").inner_text()
    assert page.get_by_label(include).is_checked()
    assert arxiv.input_value() == OTHER_ARXIV
    assert page.get_by_label("I accept the licence to publish").is_checked()
    page.screenshot(path=artifacts / "proceedings-slides-keep.png", full_page=True)

    camera = CameraReady.objects.get()
    assert camera.include_in_proceedings
    assert camera.arxiv_url == OTHER_ARXIV
    assert camera.slides
    assert camera.poster
    assert camera.current_version is not None


def test_uploading_slides_keeps_what_was_typed_and_saves_only_the_slides(
    page, conference, chair, author, settings, artifacts, tmp_path
):
    settings.HAET_NOW = "2022-06-20T12:00:00Z"
    submission = SubmissionFactory(
        conference=conference, number=1, contact=author, title="Efficient training"
    )
    decide(submission, Outcome.ACCEPT_ORAL, by=chair)
    _, tokens, _ = preview_release(conference, by=chair)
    release_decisions(conference, tokens=tokens, by=chair, notify=False)
    slides = build_paper(tmp_path / "slides.pdf")
    log_in(page, author.email, PASSWORD)
    page.goto("/decisions/1/camera-ready/")

    # Typed, not saved: a new title, the proceedings choice, the licence, a link.
    page.get_by_label("Final title").fill("Efficient training, final")
    page.get_by_label(re.compile("Do not include it")).check()
    page.get_by_label("I accept the licence to publish").check()
    page.get_by_label("arXiv link (optional)").fill(OTHER_ARXIV)
    page.select_option("select[name=presentation-kind]", "slides")
    page.set_input_files("input[name=presentation-file]", str(slides))
    page.get_by_role("button", name="Upload slides or poster").click()

    assert "Saved the slides" in page.locator(".messages").inner_text()
    assert page.get_by_label("arXiv link (optional)").input_value() == OTHER_ARXIV
    assert page.get_by_label("Final title").input_value() == "Efficient training, final"
    assert page.get_by_label(re.compile("Do not include it")).is_checked()
    assert page.get_by_label("I accept the licence to publish").is_checked()
    assert "not saved yet" in page.locator(".presentation-fields").inner_text()
    assert page.get_by_role("link", name="Slides").is_visible()
    page.screenshot(path=artifacts / "proceedings-typed-kept.png", full_page=True)

    # Only the slides were saved.
    camera = CameraReady.objects.get()
    assert camera.slides
    assert camera.arxiv_url != OTHER_ARXIV
    assert camera.title != "Efficient training, final"
    assert camera.copyright_accepted_at is None

    # Then saving the camera-ready saves what was typed.
    page.get_by_role("button", name="Save the camera-ready").click()
    assert "Saved the camera-ready of #1" in page.locator(".messages").inner_text()
    camera.refresh_from_db()
    assert camera.arxiv_url == OTHER_ARXIV
    assert camera.title == "Efficient training, final"
    assert camera.include_in_proceedings is False
    assert camera.slides

"""Camera-ready: the deadline (with extensions), the identity check flipped to
"authors must be named", the camera-ready page limit, slides and posters, and the
proceedings exports (BibTeX parsed by bibtexparser, the ZIP's exact contents)."""

import io
import json
import zipfile
from datetime import UTC, datetime

import bibtexparser
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from haet.outbox.models import OutboxMail
from proceedings import exports
from proceedings.camera_ready import (
    CameraReadyData,
    grant_camera_ready_extension,
    save_camera_ready,
)
from proceedings.models import CameraReady
from proceedings.presentations import upload_presentation
from proceedings.queries import accepted_submissions
from submissions.deadlines import DeadlinePassed
from submissions.versions import UploadRejected
from tests.decisions.conftest import LEAK_EMAIL, LEAK_NAME
from tests.submissions.pdf_factory import build_paper

pytestmark = pytest.mark.django_db

# 30 June 2022, 11:59 pm UTC-11 is open to its end: closes 1 July 11:00 UTC.
LAST_MOMENT = "2022-07-01T10:59:59Z"
TOO_LATE = "2022-07-01T11:00:00Z"
BEFORE = "2022-06-20T12:00:00Z"
NAMED_BYLINE = ("Ada Author", "Uni A", "author@example.org")


@pytest.fixture(scope="module")
def camera_pdfs(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("camera")
    papers = {
        "named": {"byline": NAMED_BYLINE},
        "named_v2": {"byline": NAMED_BYLINE, "title": "Sparse Training, Final"},
        "anonymous": {},
        "long": {"byline": NAMED_BYLINE, "pages": 7, "references_page": 6},
    }
    return {
        name: build_paper(folder / f"{name}.pdf", **changes).read_bytes()
        for name, changes in papers.items()
    }


@pytest.fixture
def pdf(camera_pdfs):
    def make(name: str = "named") -> SimpleUploadedFile:
        return SimpleUploadedFile(f"{name}.pdf", camera_pdfs[name], "application/pdf")

    return make


@pytest.fixture
def accepted(world, chair):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    return world


def details(**changes) -> CameraReadyData:
    data = {
        "title": "Sparse Training of Transformers on FPGAs",
        "authors": [
            {
                "name": "Ada Author",
                "email": "author@example.org",
                "affiliation": "Uni A",
            },
            {"name": LEAK_NAME, "email": LEAK_EMAIL, "affiliation": "Quixotic"},
        ],
        "include_in_proceedings": True,
        "copyright_accepted": True,
        "arxiv_url": "https://arxiv.org/abs/2206.01234",
    }
    return CameraReadyData(**{**data, **changes})


def test_camera_ready_is_accepted_until_the_last_minute(accepted, frozen, pdf):
    frozen(LAST_MOMENT)

    camera = save_camera_ready(
        accepted.submission, details(), by=accepted.author, pdf=pdf()
    )

    assert camera.is_complete
    assert camera.current_version.page_count == 4
    assert camera.current_version.warnings == []
    assert camera.authors[1]["name"] == LEAK_NAME


def test_camera_ready_is_refused_after_the_deadline(accepted, frozen, pdf):
    frozen(TOO_LATE)

    with pytest.raises(DeadlinePassed, match="30 June 2022, 11:59 pm UTC-11"):
        save_camera_ready(accepted.submission, details(), by=accepted.author, pdf=pdf())

    assert not CameraReady.objects.exists()


def test_an_extension_reopens_one_submission(accepted, chair, frozen, pdf):
    frozen("2022-07-01T00:00:00Z")
    grant_camera_ready_extension(
        accepted.submission, until=datetime(2022, 7, 3, tzinfo=UTC), by=chair
    )
    frozen("2022-07-02T12:00:00Z")

    camera = save_camera_ready(
        accepted.submission, details(), by=accepted.coauthor, pdf=pdf()
    )

    assert camera.is_complete
    with pytest.raises(DeadlinePassed):
        save_camera_ready(
            accepted.other_submission,
            details(),
            by=accepted.other_author,
            pdf=pdf(),
        )


def test_identity_check_flips_to_a_warning_when_no_author_is_named(
    accepted, frozen, pdf
):
    frozen(BEFORE)

    camera = save_camera_ready(
        accepted.submission, details(), by=accepted.author, pdf=pdf("anonymous")
    )

    assert [w["code"] for w in camera.current_version.warnings] == ["no_author_name"]
    assert camera.is_complete  # a warning, not a refusal


def test_the_camera_ready_page_limit_applies(accepted, frozen, pdf):
    frozen(BEFORE)

    with pytest.raises(UploadRejected) as refused:
        save_camera_ready(
            accepted.submission, details(), by=accepted.author, pdf=pdf("long")
        )
    accepted.conference.camera_ready_page_limit = 5
    accepted.conference.save()
    camera = save_camera_ready(
        accepted.submission, details(), by=accepted.author, pdf=pdf("long")
    )

    assert [e.code for e in refused.value.report.errors] == ["over_page_limit"]
    assert camera.current_version.main_body_pages == 5


def test_proceedings_need_the_licence(accepted, frozen):
    frozen(BEFORE)

    with pytest.raises(ValidationError, match="licence"):
        save_camera_ready(
            accepted.submission, details(copyright_accepted=False), by=accepted.author
        )
    camera = save_camera_ready(
        accepted.submission,
        details(copyright_accepted=False, include_in_proceedings=False),
        by=accepted.author,
    )

    assert camera.copyright_accepted_at is None
    assert not camera.is_complete  # no PDF yet


@pytest.mark.parametrize("persona", ["other_author", "reviewer", "conflicted_chair"])
def test_only_authors_and_chairs_edit_the_camera_ready(accepted, persona, frozen):
    from django.core.exceptions import PermissionDenied

    frozen(BEFORE)

    with pytest.raises(PermissionDenied):
        save_camera_ready(accepted.submission, details(), by=accepted.user(persona))


def test_no_camera_ready_before_release(world, chair, frozen):
    from django.core.exceptions import PermissionDenied

    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    frozen(BEFORE)

    with pytest.raises(PermissionDenied):
        save_camera_ready(world.submission, details(), by=world.author)


def test_slides_and_poster_upload_later(accepted, frozen, pdf):
    frozen("2022-07-20T12:00:00Z")  # after the camera-ready deadline

    camera = upload_presentation(
        accepted.submission, "slides", pdf(), by=accepted.author
    )
    with pytest.raises(ValidationError, match="PDF"):
        upload_presentation(
            accepted.submission,
            "poster",
            SimpleUploadedFile("poster.png", b"\x89PNG...."),
            by=accepted.author,
        )

    assert camera.slides
    assert not camera.poster


def test_camera_ready_form_through_the_page(accepted, frozen, login, pdf):
    frozen(BEFORE)
    client = login(accepted.author)
    url = reverse("decisions:camera-ready", args=[1])
    form = client.get(url)

    response = client.post(
        url,
        {
            "title": "Sparse Training of Transformers on FPGAs",
            "authors-TOTAL_FORMS": "2",
            "authors-INITIAL_FORMS": "0",
            "authors-0-name": "Ada Author",
            "authors-0-affiliation": "Uni A",
            "authors-0-email": "author@example.org",
            "authors-1-name": "Cora Coauthor",
            "authors-1-affiliation": "Uni B",
            "authors-1-email": "cora@coauthors.example",
            "proceedings": "yes",
            "copyright_accepted": "on",
            "arxiv_url": "",
            "pdf": pdf(),
        },
    )

    assert form.status_code == 200
    assert "at most 4 pages" in form.text
    assert response.status_code == 302
    camera = CameraReady.objects.get()
    assert camera.author_names == ["Ada Author", "Cora Coauthor"]
    assert camera.is_complete
    download = client.get(reverse("decisions:camera-ready-pdf", args=[1]))
    assert download["Content-Disposition"].startswith("attachment;")


# --- exports -----------------------------------------------------------------------
@pytest.fixture
def proceedings(accepted, frozen, pdf):
    """#1 in the proceedings with a PDF; #2 accepted but opted out."""
    frozen(BEFORE)
    save_camera_ready(
        accepted.submission,
        details(title="Sparse {Training} & 100% of FPGAs_2 ~ $x^2$"),
        by=accepted.author,
        pdf=pdf(),
    )
    save_camera_ready(
        accepted.other_submission,
        details(
            title="Energy models",
            authors=[{"name": "Olga Other", "email": "", "affiliation": ""}],
            include_in_proceedings=False,
            copyright_accepted=False,
        ),
        by=accepted.other_author,
        pdf=pdf(),
    )
    return accepted


def test_bibtex_parses_and_escapes_latex(proceedings):
    papers = accepted_submissions(proceedings.conference)

    text = exports.bibtex(papers, proceedings.conference)
    library = bibtexparser.loads(text)

    [entry] = library.entries
    assert entry["ENTRYTYPE"] == "inproceedings"
    assert entry["ID"] == "haet2022-1"
    assert entry["booktitle"] == (
        "Hardware Aware Efficient Training (HAET) workshop at ICML 2022"
    )
    assert entry["title"] == (
        r"{Sparse \{Training\} \& 100\% of FPGAs\_2 \textasciitilde{} "
        r"\$x\textasciicircum{}2\$}"
    )
    assert entry["author"] == f"Ada Author and {LEAK_NAME}"
    assert entry["year"] == "2022"
    assert entry["url"].endswith("/accepted/1.pdf")


def test_zip_holds_exactly_the_opted_in_papers(proceedings, login):
    response = login(proceedings.chair).get(reverse("decisions:export-zip"))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["HAET2022-1.pdf"]
    assert archive.read("HAET2022-1.pdf").startswith(b"%PDF-")


def test_accepted_exports_and_programme(proceedings, login):
    client = login(proceedings.chair)

    data = json.loads(client.get(reverse("decisions:export-accepted-json")).content)
    listing = client.get(reverse("decisions:export-accepted-csv")).content.decode()
    programme = client.get(reverse("decisions:programme"))

    assert [
        (p["number"], p["presentation"], p["in_proceedings"]) for p in data["papers"]
    ] == [
        (1, "oral", True),
        (2, "poster", False),
    ]
    assert data["papers"][0]["pdf_url"].endswith("/accepted/1.pdf")
    assert data["papers"][1]["pdf_url"] == ""
    assert "Energy models" in listing
    assert [p.number for p in programme.context["orals"]] == [1]
    assert [p.number for p in programme.context["posters"]] == [2]


def test_public_page_links_pdfs_only_for_the_proceedings(proceedings, login):
    client = login(None)

    page = client.get(reverse("accepted:list"))
    pdf_in = client.get(reverse("accepted:pdf", args=[1]))
    pdf_out = client.get(reverse("accepted:pdf", args=[2]))

    assert reverse("accepted:pdf", args=[1]) in page.text
    assert reverse("accepted:pdf", args=[2]) not in page.text
    assert "https://arxiv.org/abs/2206.01234" in page.text
    assert pdf_in.status_code == 200
    assert pdf_out.status_code == 404


def test_awards_hook_fills_the_public_page(proceedings, login):
    from proceedings import queries

    def source(conference):
        return {proceedings.submission.pk: ["Best paper award"]}

    queries.register_award_source(source)
    try:
        page = login(None).get(reverse("accepted:list"))
    finally:
        queries.AWARD_SOURCES.remove(source)

    assert [name for name, _ in page.context["awards"]] == ["Best paper award"]
    assert "Best paper award" in page.text


# --- the receipt mail --------------------------------------------------------------
def receipts() -> list[tuple[str, str]]:
    return sorted(
        OutboxMail.objects.filter(template="camera_ready_receipt").values_list(
            "to_email", "dedupe_key"
        )
    )


def test_camera_ready_receipt_goes_once_to_each_author_per_file(accepted, frozen, pdf):
    frozen(LAST_MOMENT)
    submission = accepted.submission

    camera = save_camera_ready(submission, details(), by=accepted.author, pdf=pdf())

    sha = camera.current_version.sha256
    emails = ["author@example.org", "cora@coauthors.example", LEAK_EMAIL]
    assert receipts() == sorted(
        (email, f"camera-ready-receipt:{submission.pk}:{sha}:{email}")
        for email in emails
    )
    mail = OutboxMail.objects.get(
        template="camera_ready_receipt", to_email="author@example.org"
    )
    assert mail.is_essential
    assert mail.subject == (
        "[HAET 2022] Camera-ready received for #1: Sparse Training of Transformers "
        "on FPGAs"
    )
    assert "30 June 2022, 23:59:59 UTC-11" in mail.body_text
    assert "01 July 2022, 10:59:59 UTC" in mail.body_text
    assert sha in mail.body_text
    assert reverse("decisions:camera-ready", args=[1]) in mail.body_text

    # The same file again, or only the details: nothing new.
    save_camera_ready(submission, details(), by=accepted.coauthor, pdf=pdf())
    save_camera_ready(submission, details(title="New title"), by=accepted.author)
    assert len(receipts()) == 3

    # A different file: one more for each author.
    camera = save_camera_ready(
        submission, details(), by=accepted.author, pdf=pdf("named_v2")
    )
    new_sha = camera.current_version.sha256
    assert new_sha != sha
    assert len(receipts()) == 6
    assert sorted(
        to for to, key in receipts() if key.split(":")[2] == new_sha
    ) == sorted(emails)


def test_no_receipt_without_a_pdf(accepted, frozen):
    frozen(BEFORE)

    save_camera_ready(accepted.submission, details(), by=accepted.author)

    assert receipts() == []

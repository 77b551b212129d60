"""Submissions fixtures: PDFs drawn once per session, submissions built directly
(fast) or through the services (the real checks, about a second per upload)."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from haet import clock
from submissions.models import Author, PaperVersion, Submission
from tests.conftest import make_user
from tests.submissions.pdf_factory import build_paper

# The HAET 2022 deadline: 27 May 2022, 11:59 pm UTC-11 is open to its end.
CLOSES_AT = "2022-05-28T11:00:00Z"
BEFORE_DEADLINE = "2022-05-20T12:00:00Z"


def zip_bytes(members: dict[str, bytes], *, comment: bytes = b"") -> bytes:
    """A valid ZIP archive of `members` (name: content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = comment
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("pdfs")
    papers = {
        "good": {},
        "good_v2": {"title": "Clear Reviews for Small Workshops, Revised"},
        "too_long": {"pages": 7, "references_page": 6},
        "no_references": {
            "pages": 6,
            "references_page": None,
            "appendix_heading": None,
        },
    }
    return {
        name: build_paper(folder / f"{name}.pdf", **changes).read_bytes()
        for name, changes in papers.items()
    }


@pytest.fixture
def upload(pdfs):
    def make(name: str = "good", filename: str = "paper.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(filename, pdfs[name], "application/pdf")

    return make


@pytest.fixture
def coauthor(db):
    return make_user("coauthor@example.org", name="Cora Coauthor", affiliation="Uni B")


@pytest.fixture
def other_author(db):
    return make_user("other@example.org", name="Olga Other")


def build_submission(
    conference,
    contact,
    *,
    number=None,
    state="submitted",
    coauthors=(),
    with_pdf=True,
    title="Sparse Training at Scale",
):
    """A submission written straight to the database (no checks): for permission
    and listing tests."""
    number = number or (Submission.objects.count() + 1)
    submission = Submission.objects.create(
        conference=conference,
        number=number,
        title=title,
        abstract="We train with less energy.",
        state=state,
        submitted_at=clock.now() if state == "submitted" else None,
        contact=contact,
        created_by=contact,
        not_accepted_at_main=True,
    )
    submission.topics.set(conference.topics.all()[:1])
    people = [contact, *coauthors]
    for order, person in enumerate(people):
        Author.objects.create(
            submission=submission,
            order=order,
            name=person.name,
            email=person.email,
            affiliation=person.affiliation,
            user=person,
        )
    if with_pdf:
        data = b"%PDF-1.4 demo " + str(number).encode() + b"\n%%EOF\n"
        version = PaperVersion(
            submission=submission,
            original_filename="mine.pdf",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            page_count=5,
            main_body_pages=4,
            check_report={"ok": True, "errors": [], "warnings": []},
            uploaded_by=contact,
            uploaded_at=clock.now(),
        )
        version.original.save("x.pdf", ContentFile(data), save=False)
        version.reviewer_copy.save("x.pdf", ContentFile(data + b"copy"), save=False)
        version.save()
        submission.current_version = version
        submission.save()
    return submission


@pytest.fixture
def make_submission(conference):
    def make(contact, **kwargs):
        return build_submission(conference, contact, **kwargs)

    return make

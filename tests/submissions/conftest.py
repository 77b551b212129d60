"""Submissions fixtures: PDFs drawn once per session, submissions built directly
(fast) or through the services (the real checks, about a second per upload)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import SubmissionFactory, UserFactory
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
    return UserFactory(
        email="coauthor@example.org", name="Cora Coauthor", affiliation="Uni B"
    )


@pytest.fixture
def other_author(db):
    return UserFactory(email="other@example.org", name="Olga Other")


@pytest.fixture
def make_submission(conference):
    def make(contact, **kwargs):
        return SubmissionFactory(
            conference=conference, contact=contact, uploaded=True, **kwargs
        )

    return make

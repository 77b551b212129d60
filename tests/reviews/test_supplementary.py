"""Reviewers download the supplementary material's reviewer copy, uploaded through
the real service: nothing of the author's metadata reaches them."""

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.submitting import data_of, save_submission
from tests.reviews.conftest import LEAK_EMAIL, LEAK_NAME
from tests.submissions.conftest import BEFORE_DEADLINE, zip_bytes
from tests.submissions.pdf_factory import build_paper, post_process
from tests.submissions.test_services import at

pytestmark = pytest.mark.django_db


def upload(reviewing, name: str, content: bytes) -> None:
    submission = reviewing.submission
    save_submission(
        submission,
        data_of(submission),
        conference=submission.conference,
        by=reviewing.world.author,
        supplementary=SimpleUploadedFile(name, content),
        at=at(BEFORE_DEADLINE),
    )


def download(client, reviewing) -> bytes:
    client.force_login(reviewing.reviewer)
    response = client.get(reverse("reviews:supplementary", args=[1]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_reviewer_gets_the_pdf_without_the_authors_metadata(
    client, reviewing, tmp_path
):
    path = build_paper(tmp_path / "s.pdf", pages=2, author=LEAK_NAME)
    post_process(path, xmp_creators=[LEAK_NAME, LEAK_EMAIL], comment_author=LEAK_NAME)
    original = path.read_bytes()
    assert LEAK_NAME.encode() in original
    upload(reviewing, "appendix.pdf", original)

    received = download(client, reviewing)

    for trace in (LEAK_NAME, "Zebulon", LEAK_EMAIL):
        assert trace.encode() not in received
    with pikepdf.open(io.BytesIO(received)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 2


def test_reviewer_gets_the_zip_without_its_comment(client, reviewing):
    upload(
        reviewing,
        "code.zip",
        zip_bytes({"run.py": b"pass\n"}, comment=LEAK_NAME.encode()),
    )

    received = download(client, reviewing)

    assert LEAK_NAME.encode() not in received
    with zipfile.ZipFile(io.BytesIO(received)) as archive:
        assert archive.comment == b""
        assert archive.read("run.py") == b"pass\n"

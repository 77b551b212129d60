"""Nothing a reviewer can open, download or receive names the authors.

The author's distinctive name, email and affiliation are in the author list, in the
uploaded PDF's document info, XMP and a comment, and in the uploaded file's name;
the paper goes through the real upload (`save_submission`, which writes the reviewer
copy). Then every reviewer page, the downloaded PDF (parsed with pikepdf, metadata,
XMP and every stream decompressed, and as raw bytes), its file name and headers, and
every mail the reviewer receives are searched.
"""

import re

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.models import ReviewSettings
from reviews.reviewing import post_to_discussion, save_review
from submissions.submitting import data_of, save_submission
from tests.factories import UserFactory
from tests.reviews.conftest import (
    LEAK_AFFILIATION,
    LEAK_EMAIL,
    LEAK_NAME,
    REVIEW_TIME,
    SECOND_NAME,
    answers,
)
from tests.submissions.pdf_factory import build_paper, post_process

pytestmark = pytest.mark.django_db

BEFORE_DEADLINE = "2022-05-20T12:00:00Z"
UPLOADED_NAME = f"{LEAK_NAME} ({LEAK_AFFILIATION}) final.pdf"
# Whole strings and their distinctive parts, compared case-insensitively.
SECRETS = [
    LEAK_NAME,
    LEAK_EMAIL,
    LEAK_AFFILIATION,
    "Zebulon",
    "Farnsworth",
    "quixotic",
    "Ada Author",
    "author@example.org",
    UPLOADED_NAME,
]


def found(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return [s for s in SECRETS if s.lower() in text.lower()]


def make_leaky_pdf(folder) -> bytes:
    """A paper whose document info, XMP and a comment name the author."""
    path = build_paper(folder / "paper.pdf", author=LEAK_NAME)
    post_process(
        path,
        xmp_creators=[LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION],
        comment_author=LEAK_NAME,
    )
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/Subject"] = LEAK_AFFILIATION
        pdf.docinfo["/Keywords"] = LEAK_EMAIL
        pdf.save(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def leaky_pdf(tmp_path_factory) -> bytes:
    return make_leaky_pdf(tmp_path_factory.mktemp("leak"))


@pytest.fixture
def uploaded(world, frozen, leaky_pdf):
    """Submission #1 gets the leaky PDF through the real upload, before the deadline;
    then the clock moves to the review period."""
    frozen(BEFORE_DEADLINE)
    submission = world.submission
    submission.conference = world.conference
    save_submission(
        submission,
        data_of(submission),
        conference=world.conference,
        by=world.author,
        pdf=SimpleUploadedFile(UPLOADED_NAME, leaky_pdf, "application/pdf"),
    )
    submission.refresh_from_db()
    frozen(REVIEW_TIME)
    return submission


def test_the_original_does_hold_the_secrets(uploaded, leaky_pdf):
    """Guards the test itself: the leak is there to be stripped."""
    assert {LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION} <= set(found(leaky_pdf))
    assert uploaded.current_version.original_filename == UPLOADED_NAME


def pdf_texts(data: bytes, tmp_path) -> list[str]:
    """Document info, XMP, and every object and stream, decompressed."""
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(data)
    texts = []
    with pikepdf.open(path) as pdf:
        texts += [f"{k}={v}" for k, v in pdf.docinfo.items()]
        texts.append(str(pdf.open_metadata()))
        for obj in pdf.objects:
            texts.append(repr(obj))
            if isinstance(obj, pikepdf.Stream):
                try:
                    texts.append(obj.read_bytes().decode("latin-1"))
                except pikepdf.PdfError:
                    texts.append(obj.read_raw_bytes().decode("latin-1"))
    return texts


def test_the_downloaded_pdf_names_nobody(client, world, uploaded, tmp_path):
    client.force_login(world.reviewer)

    response = client.get(reverse("reviews:paper", args=[1]))
    data = b"".join(response.streaming_content)

    assert data.startswith(b"%PDF")
    assert found(data) == []
    assert [t for t in pdf_texts(data, tmp_path) if found(t)] == []
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    assert found(headers) == []
    assert response["Content-Disposition"] == 'attachment; filename="HAET2022-1.pdf"'


def reviewer_pages(client) -> dict[str, str]:
    pages = {}
    for name, args in [
        ("reviews:dashboard", []),
        ("reviews:submission", [1]),
        ("reviews:bidding", []),
        ("reviews:profile", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


def test_no_reviewer_page_names_the_authors(client, world, uploaded):
    ReviewSettings.objects.update_or_create(
        conference=world.conference, defaults={"is_discussion_open": True}
    )
    second = UserFactory(
        email="second@lab9.example.net", name=SECOND_NAME, role="reviewer"
    )
    second_assignment, _ = assign_reviewer(
        uploaded, second, by=world.chair, notify=False
    )
    save_review(second_assignment, answers(), by=second, submit=True)
    client.force_login(world.reviewer)

    before = reviewer_pages(client)
    save_review(world.assignment, answers(), by=world.reviewer, submit=True)
    post_to_discussion(uploaded, "Chair: any concerns?", by=world.chair)
    post_to_discussion(uploaded, "None from me.", by=second)
    after = reviewer_pages(client)

    assert "Reviewer 2" in after["reviews:submission"]
    assert "Chair: any concerns?" in after["reviews:submission"]
    for label, pages in (("before", before), ("after", after)):
        for name, html in pages.items():
            leaked = found(html) + ([SECOND_NAME] if SECOND_NAME in html else [])
            assert leaked == [], f"{label} {name}"


def test_no_mail_a_reviewer_receives_names_the_authors(world, uploaded):
    newcomer = UserFactory(
        email="newcomer@lab7.example.net", name="Nia New", role="reviewer"
    )
    assignment, _ = assign_reviewer(uploaded, newcomer, by=world.chair)  # mails
    save_review(world.assignment, answers(), by=world.reviewer, submit=True)
    save_review(assignment, answers(), by=newcomer, submit=True)
    post_to_discussion(uploaded, "Thoughts?", by=world.chair)

    mails = OutboxMail.objects.filter(
        to_email__in=[newcomer.email, world.reviewer.email]
    )

    assert {m.template for m in mails} == {
        "assignment",
        "review_posted",
        "discussion_posted",
    }
    for mail in mails:
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        names = [n for n in ("Nia New", "Rita Assigned") if n in text]
        assert (found(text), names) == ([], []), mail.subject
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", mail.subject)

"""Profile papers from PDFs of the reviewer's own papers: the service (read in the
sandbox, file not kept, bad files refused with nothing lost, no conflicts), the
page for every role, and the expertise the papers feed."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet import clock
from reviews.affinity import compute_affinity
from reviews.conflicts import ConflictIndex
from reviews.expertise_pdfs import MAX_FILES, import_publication_pdfs
from reviews.expertise_profile import publication_coauthors
from reviews.models import ReviewerPublication, ReviewSettings
from submissions.models import SubmissionSettings
from tests.factories import DeclaredConflictFactory, SubmissionFactory
from tests.submissions.pdf_bombs import decompression_bomb
from tests.submissions.pdf_factory import JANE_BYLINE, build_paper

pytestmark = pytest.mark.django_db

URL = "/reviews/profile/publications/"
TITLE = "Sparse Training on Reconfigurable Hardware"
LIMIT = 10 * 1024 * 1024


@pytest.fixture
def paper_pdf(tmp_path: Path) -> bytes:
    """A paper by the reviewer, with a byline naming someone (not a conflict)."""
    path = build_paper(tmp_path / "mine.pdf", title=TITLE, byline=JANE_BYLINE)
    return path.read_bytes()


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch) -> Path:
    """Where uploads are spooled: checked to be empty afterwards."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def pdf(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def post_pdfs(client, *files: SimpleUploadedFile):
    return client.post(URL, {"upload_pdfs": "1", "pdfs": list(files)})


# --- the service -------------------------------------------------------------------


def test_a_pdf_becomes_a_profile_paper_and_the_file_is_not_kept(
    reviewer, paper_pdf, spool_dir
):
    result = import_publication_pdfs(
        reviewer, [pdf("mine.pdf", paper_pdf)], max_bytes=LIMIT
    )

    assert result.refused == []
    assert [
        (p.source, p.filename, p.title, p.year, p.coauthors)
        for p in ReviewerPublication.objects.all()
    ] == [("pdf", "mine.pdf", TITLE, None, [])]
    paper = ReviewerPublication.objects.get()
    assert paper.abstract.startswith("We study how workshop papers are reviewed")
    assert list(spool_dir.iterdir()) == []


def test_a_pdf_of_the_same_name_replaces_its_paper_only(reviewer, paper_pdf, tmp_path):
    other = build_paper(tmp_path / "other.pdf", title="Another Paper Entirely")
    import_publication_pdfs(reviewer, [pdf("mine.pdf", paper_pdf)], max_bytes=LIMIT)
    import_publication_pdfs(
        reviewer, [pdf("two.pdf", other.read_bytes())], max_bytes=LIMIT
    )

    import_publication_pdfs(reviewer, [pdf("two.pdf", paper_pdf)], max_bytes=LIMIT)

    assert sorted(ReviewerPublication.objects.values_list("filename", "title")) == [
        ("mine.pdf", TITLE),
        ("two.pdf", TITLE),
    ]


def test_bad_files_are_refused_with_a_reason_and_nothing_is_lost(
    reviewer, paper_pdf, tmp_path, spool_dir
):
    ReviewerPublication.objects.create(
        reviewer=reviewer, source="bibtex", title="Listed Before", coauthors=["X Y"]
    )
    bomb = decompression_bomb(tmp_path / "bomb.pdf").read_bytes()
    files = [
        pdf("notes.pdf", b"<html>404 Not Found</html>"),
        pdf("bomb.pdf", bomb),
        pdf("mine.pdf", paper_pdf),
    ]

    result = import_publication_pdfs(reviewer, files, max_bytes=LIMIT)

    assert [name for name, _ in result.refused] == ["notes.pdf", "bomb.pdf"]
    assert "an HTML web page" in result.refused[0][1]
    assert "more drawing data" in result.refused[1][1]
    assert sorted(ReviewerPublication.objects.values_list("title", flat=True)) == [
        "Listed Before",
        TITLE,
    ]
    assert list(spool_dir.iterdir()) == []


def test_a_pdf_over_the_submission_size_limit_is_refused(reviewer, paper_pdf):
    result = import_publication_pdfs(
        reviewer, [pdf("mine.pdf", paper_pdf)], max_bytes=100
    )

    assert result.refused == [
        ("mine.pdf", "The PDF is larger than the limit of 9.53674e-05 MB.")
    ]
    assert ReviewerPublication.objects.count() == 0


def test_pdf_papers_create_no_conflicts(conference, reviewer, paper_pdf, make_reviewer):
    # The byline names Jane Q. Nobody, who submits: still no conflict.
    jane = make_reviewer("jane.nobody@example.org", name="Jane Q. Nobody")
    submission = SubmissionFactory(conference=conference, number=1, contact=jane)
    import_publication_pdfs(reviewer, [pdf("mine.pdf", paper_pdf)], max_bytes=LIMIT)
    ReviewerPublication.objects.update(year=clock.now().year)

    assert publication_coauthors({reviewer.pk: reviewer.name}) == {}
    assert not ConflictIndex.build([reviewer]).is_conflicted(reviewer.pk, submission.pk)


def test_pdf_papers_feed_the_expertise_score(
    conference, author, reviewer, paper_pdf, make_reviewer, tmp_path
):
    other = make_reviewer("poet@example.net", name="Po Et")
    poetry = build_paper(tmp_path / "poetry.pdf", title="Rhyme in Medieval Poetry")
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training on reconfigurable hardware",
    )
    settings = ReviewSettings(weight_bid=0.0, weight_topic=0.0, weight_text=1.0)
    reviewers = [reviewer, other]
    before = compute_affinity([submission], reviewers, review_settings=settings)

    import_publication_pdfs(reviewer, [pdf("mine.pdf", paper_pdf)], max_bytes=LIMIT)
    import_publication_pdfs(
        other, [pdf("poetry.pdf", poetry.read_bytes())], max_bytes=LIMIT
    )
    after = compute_affinity([submission], reviewers, review_settings=settings)

    # Both PDFs have the same body text: the title read from the PDF makes it.
    assert before.text.tolist() == [[0.0, 0.0]]
    assert after.text[0, 0] > 0.0 == after.text[0, 1]


# --- the page, per role ------------------------------------------------------------


def test_anonymous_visitors_cannot_upload_pdfs(client, paper_pdf):
    response = post_pdfs(client, pdf("mine.pdf", paper_pdf))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert ReviewerPublication.objects.count() == 0


@pytest.mark.parametrize("persona", ["author", "chair", "outsider"])
def test_people_who_are_not_reviewers_get_404(client, request, persona, paper_pdf):
    client.force_login(request.getfixturevalue(persona))

    assert post_pdfs(client, pdf("mine.pdf", paper_pdf)).status_code == 404
    assert ReviewerPublication.objects.count() == 0


def test_a_reviewer_uploads_pdfs_and_sees_their_titles(client, reviewer, paper_pdf):
    client.force_login(reviewer)

    response = post_pdfs(client, pdf("mine.pdf", paper_pdf))
    page = client.get(URL).content.decode()

    assert response.status_code == 302
    assert response["Location"] == URL
    assert f"Read 1 PDF: “{TITLE}”." in page
    assert "PDF (mine.pdf)" in page
    assert "PDFs never create conflicts of interest" in page


def test_a_conflicted_reviewer_uploads_pdfs_like_anyone(
    client, conference, author, reviewer, paper_pdf
):
    submission = SubmissionFactory(conference=conference, number=1, contact=author)
    DeclaredConflictFactory(submission=submission, value=reviewer.email)
    client.force_login(reviewer)

    response = post_pdfs(client, pdf("mine.pdf", paper_pdf))

    assert response.status_code == 302
    assert ReviewerPublication.objects.get().title == TITLE
    assert submission.title not in client.get(URL).content.decode()


def test_the_page_lists_what_was_refused_and_keeps_the_rest(
    client, reviewer, paper_pdf
):
    client.force_login(reviewer)

    response = post_pdfs(
        client, pdf("scan.pdf", b"%PDF-1.4\n%%EOF\n"), pdf("mine.pdf", paper_pdf)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "These files were not read" in html
    assert "<strong>scan.pdf</strong>: The PDF is damaged" in html
    assert f"Read 1 PDF: “{TITLE}”." in html
    assert list(ReviewerPublication.objects.values_list("filename", flat=True)) == [
        "mine.pdf"
    ]


def test_a_pdf_over_the_limit_is_stopped_while_it_streams_in(
    client, conference, reviewer, paper_pdf
):
    SubmissionSettings.objects.filter(conference=conference).delete()
    SubmissionSettings.objects.create(conference=conference, max_bytes=1024)
    client.force_login(reviewer)

    response = post_pdfs(client, pdf("mine.pdf", paper_pdf))

    assert response.status_code == 200
    assert "<strong>mine.pdf</strong>: The PDF is larger than the limit" in (
        response.content.decode()
    )
    assert ReviewerPublication.objects.count() == 0


def test_no_file_or_too_many_files_is_a_form_error(client, reviewer, paper_pdf):
    client.force_login(reviewer)

    empty = post_pdfs(client)
    many = post_pdfs(
        client, *[pdf(f"{i}.pdf", paper_pdf) for i in range(MAX_FILES + 1)]
    )

    assert "This field is required." in empty.content.decode()
    assert f"Upload at most {MAX_FILES} PDFs at a time." in many.content.decode()
    assert ReviewerPublication.objects.count() == 0


def test_removing_pdf_papers_keeps_the_lists(client, reviewer, paper_pdf):
    ReviewerPublication.objects.create(reviewer=reviewer, source="dblp", title="Kept")
    client.force_login(reviewer)
    post_pdfs(client, pdf("mine.pdf", paper_pdf))

    client.post(URL, {"delete": "pdf"})

    assert list(ReviewerPublication.objects.values_list("title", flat=True)) == ["Kept"]


def test_the_page_makes_the_same_queries_for_more_pdf_papers(client, reviewer):
    client.force_login(reviewer)
    counts = []
    for total in (1, 3):
        for i in range(ReviewerPublication.objects.count(), total):
            ReviewerPublication.objects.create(
                reviewer=reviewer, source="pdf", filename=f"{i}.pdf", title=f"P {i}"
            )
        client.get(URL)  # the first visit creates the conference's settings
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert len(response.context["publications"]) == total
        counts.append(len(queries))

    assert counts[0] == counts[1]

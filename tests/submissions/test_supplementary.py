"""Supplementary material: checked at upload, and what reviewers get is anonymous
apart from what the author wrote (which the checks warn about)."""

import io
import struct
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.models import Submission
from submissions.pdfcheck.archive import FIXED_DATE_TIME
from submissions.submitting import save_submission
from submissions.supplementary import SupplementaryRejected
from tests.submissions.conftest import BEFORE_DEADLINE, zip_bytes
from tests.submissions.pdf_factory import build_paper, post_process
from tests.submissions.test_services import at, data

pytestmark = pytest.mark.django_db

NAME = "Zebulon Quixotic-Farnsworth"
EMAIL = "zebulon@quixotic-institute.example"
AUTHORS = [{"name": NAME, "email": EMAIL, "affiliation": "Quixotic Institute"}]


def save(conference, author, submission=None, **files) -> Submission:
    return save_submission(
        submission,
        data(conference, author, authors=AUTHORS),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
        **files,
    )


def zip_upload(members: dict[str, bytes], name: str = "extra.zip", **kwargs):
    return SimpleUploadedFile(name, zip_bytes(members, **kwargs))


def reviewer_copy(submission: Submission) -> bytes:
    submission.refresh_from_db()
    with submission.supplementary.reviewer_copy.open("rb") as f:
        return f.read()


# --- PDF ------------------------------------------------------------------------------
@pytest.fixture
def pdf_naming_the_author(tmp_path) -> bytes:
    path = build_paper(tmp_path / "supplement.pdf", pages=2, author=NAME)
    post_process(path, xmp_creators=[NAME], comment_author=NAME)
    return path.read_bytes()


def test_supplementary_pdf_metadata_is_reported_and_absent_from_the_copy(
    conference, author, pdf_naming_the_author
):
    assert NAME.encode() in pdf_naming_the_author  # the test means something

    submission = save(
        conference,
        author,
        supplementary=SimpleUploadedFile("appendix.pdf", pdf_naming_the_author),
    )

    codes = [w["code"] for w in submission.supplementary.warnings]
    assert codes == ["metadata_identity"]
    copy = reviewer_copy(submission)
    assert b"Zebulon" not in copy
    assert b"Quixotic" not in copy
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert all("/T" not in a for a in pdf.pages[0].get("/Annots", []))


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.7\nnothing else", "unreadable"),
        (b"GIF89a", "not_pdf_zip"),
    ],
)
def test_unusable_supplementary_pdf_is_rejected(conference, author, content, code):
    with pytest.raises(SupplementaryRejected) as error:
        save(
            conference,
            author,
            supplementary=SimpleUploadedFile("appendix.pdf", content),
        )

    assert [e.code for e in error.value.error_list] == [code]
    assert Submission.objects.count() == 0


# --- ZIP ------------------------------------------------------------------------------
def test_zip_copy_has_same_entries_without_comment_extra_or_times(conference, author):
    buffer = io.BytesIO()
    owner = b"owner=zebulon@zebulons-macbook"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = b"packed by zebulon on zebulons-macbook"
        info = zipfile.ZipInfo("code/run.py", date_time=(2022, 5, 20, 13, 37, 42))
        info.comment = b"zebulon's last edit"
        info.extra = struct.pack("<HH", 0x7875, len(owner)) + owner
        archive.writestr(info, b"print('hello')\n")
        archive.writestr("data/", b"")
        archive.writestr("data/table.csv", b"a,b\n1,2\n")

    submission = save(
        conference,
        author,
        supplementary=SimpleUploadedFile("extra.zip", buffer.getvalue()),
    )

    copy = reviewer_copy(submission)
    assert b"zebulon" not in copy
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert archive.comment == b""
        assert [
            (i.filename, i.date_time, i.comment, i.extra) for i in archive.infolist()
        ] == [
            ("code/run.py", FIXED_DATE_TIME, b"", b""),
            ("data/", FIXED_DATE_TIME, b"", b""),
            ("data/table.csv", FIXED_DATE_TIME, b"", b""),
        ]
        assert archive.read("code/run.py") == b"print('hello')\n"
        assert archive.read("data/table.csv") == b"a,b\n1,2\n"
    assert submission.supplementary.warnings == []


@pytest.mark.parametrize(
    "evil", ["../evil", "code/../../evil", "/etc/evil", "C:\\evil", "..\\evil"]
)
def test_zip_escaping_its_folder_is_rejected_and_the_previous_one_kept(
    conference, author, evil
):
    submission = save(conference, author, supplementary=zip_upload({"ok.txt": b"1"}))
    first = submission.supplementary

    with pytest.raises(SupplementaryRejected) as error:
        save(
            conference,
            author,
            submission,
            supplementary=zip_upload({evil: b"x"}, name="new.zip"),
        )

    assert error.value.error_list[0].code == "unsafe_path"
    assert "absolute paths and '..' are not allowed" in error.value.messages[0]
    submission.refresh_from_db()
    assert submission.supplementary == first
    assert submission.supplementary_files.count() == 1


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + b"0" * 100, zip_bytes({"a.txt": b"hello" * 100})[:-30]],
    ids=["garbage", "truncated"],
)
def test_invalid_zip_is_rejected(conference, author, content):
    with pytest.raises(SupplementaryRejected) as error:
        save(conference, author, supplementary=SimpleUploadedFile("x.zip", content))

    assert error.value.error_list[0].code == "not_zip"


def test_zip_naming_the_author_warns(conference, author):
    submission = save(
        conference,
        author,
        supplementary=zip_upload(
            {
                "README.md": b"# Code\nQuestions to Zebulon Quixotic-Farnsworth.\n",
                "notebook.ipynb": b'{"cells": ["mail zebulon@quixotic-institute'
                b'.example"]}',
                "zebulon_quixotic-farnsworth/run.py": b"pass\n",
                "big.bin": NAME.encode(),  # not a text file: not read
            }
        ),
    )

    warnings = {w["code"]: w["message"] for w in submission.supplementary.warnings}
    assert sorted(warnings) == ["identity_in_file_names", "identity_in_text"]
    assert "'README.md'" in warnings["identity_in_text"]
    assert "'notebook.ipynb'" in warnings["identity_in_text"]
    assert "big.bin" not in warnings["identity_in_text"]
    assert "zebulon_quixotic-farnsworth/run.py" in warnings["identity_in_file_names"]


def test_zip_that_unpacks_too_large_is_rejected(conference, author):
    from submissions.models import SubmissionSettings

    settings = SubmissionSettings.objects.for_conference(conference)
    settings.supplementary_max_bytes = 10_000  # unpacked limit: 100 kB
    settings.save()

    with pytest.raises(SupplementaryRejected) as error:
        save(conference, author, supplementary=zip_upload({"zeros": b"0" * 200_000}))

    assert error.value.error_list[0].code == "too_large_unpacked"


# --- pages ----------------------------------------------------------------------------
def test_form_tells_authors_reviewers_get_the_material_as_uploaded(
    client, conference, author, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    page = client.get(reverse("submissions:new")).content.decode()

    assert "Reviewers get it as uploaded, apart from its metadata" in page


def test_identity_warning_is_shown_to_the_author(client, conference, author, frozen):
    from tests.submissions.test_views import form_data

    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    readme = zip_upload({"README.md": f"Written by {author.name}.".encode()})

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, supplementary=readme),
        follow=True,
    )

    page = response.content.decode()
    assert "The supplementary material was accepted with warnings" in page
    assert "identity_in_text" in page
    assert "Author details appear in the supplementary material" in page


def test_rejected_zip_is_reported_on_its_field(client, conference, author, frozen):
    from tests.submissions.test_views import form_data

    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, supplementary=zip_upload({"../evil": b"x"})),
    )

    [message] = response.context["form"].errors["supplementary"]
    assert message.startswith("The ZIP archive contains entries outside its folder")
    assert Submission.objects.count() == 0

"""The one sanitiser of every file reviewers receive (issue 12, findings 6 and 7).

Hostile files are built here (pdf_factory): every place besides the page text
where a PDF or an image can name its author holds the author's name, email or
homepage. They go through the real upload as the author (HTTP), the reviewer
downloads the copies (HTTP), and the downloads are searched twice: parsed
(pikepdf objects, Pillow metadata) and as raw bytes with every stream
decompressed.
"""

import functools
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from reviews.assigning import assign_reviewer
from submissions.models import Submission
from submissions.pdfcheck import ReviewerCopyError, make_reviewer_copy
from submissions.pdfcheck.archive import MAX_DEPTH
from submissions.pdfcheck.images import ImageDamaged, clean_image_bytes
from submissions.pdfcheck.text import extract_text
from tests.reviews.conftest import REVIEW_TIME
from tests.submissions.conftest import BEFORE_DEADLINE, zip_bytes
from tests.submissions.pdf_factory import (
    add_identifying_extras,
    build_paper,
    jpeg_naming,
    png_naming,
    post_process,
)
from tests.submissions.test_views import form_data

pytestmark = pytest.mark.django_db

NAME = "Zebulon Quixotic-Farnsworth"
EMAIL = "zebulon@quixotic-institute.example"
HOMEPAGE = "https://zebulon-home.example/~zquixotic"
# Compared case-insensitively with everything a reviewer receives.
CANARIES = ["zebulon", "quixotic", "farnsworth", "zebulon-home"]
CO_AUTHOR = {
    "authors-TOTAL_FORMS": "2",
    "authors-1-name": NAME,
    "authors-1-email": EMAIL,
    "authors-1-affiliation": "Quixotic Institute",
    "authors-1-ORDER": "2",
}


def canaries_in(data: bytes | str) -> list[str]:
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    return [c for c in CANARIES if c in text.lower()]


def pdf_leaks(data: bytes, tmp_path) -> list[str]:
    """Canaries in the raw file, in every object (parsed) and in every stream,
    decompressed (a QDF rewrite without object streams)."""
    found = canaries_in(data)
    source = tmp_path / "received.pdf"
    source.write_bytes(data)
    with pikepdf.open(source) as pdf:
        found += canaries_in(repr(pdf.trailer) + str(pdf.open_metadata()))
        for obj in pdf.objects:
            found += canaries_in(repr(obj))
            if isinstance(obj, pikepdf.Stream):
                try:
                    found += canaries_in(obj.read_bytes())
                except pikepdf.PdfError:  # images: their encoded bytes
                    found += canaries_in(obj.read_raw_bytes())
        expanded = tmp_path / "expanded.pdf"
        pdf.save(
            expanded, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable
        )
    return sorted(set(found + canaries_in(expanded.read_bytes())))


@pytest.fixture
def hostile_pdf(tmp_path) -> bytes:
    path = build_paper(tmp_path / "hostile.pdf", author=NAME)
    post_process(path, xmp_creators=[NAME, EMAIL])
    add_identifying_extras(path, name=NAME, email=EMAIL, homepage=HOMEPAGE)
    return path.read_bytes()


def submit_as_author(client, conference, author, frozen, **files) -> Submission:
    """The author submits through the form (HTTP), with the distinctive co-author."""
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, action="submit", **CO_AUTHOR, **files),
    )
    assert response.status_code == 302, response.context["form"].errors
    return Submission.objects.get()


def download_as_reviewer(client, submission, reviewer, chair, frozen, url) -> bytes:
    assign_reviewer(submission, reviewer, by=chair, notify=False)
    frozen(REVIEW_TIME)
    client.force_login(reviewer)
    response = client.get(reverse(url, args=[submission.number]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_hostile_pdf_names_the_author_everywhere(hostile_pdf, tmp_path):
    """Guards the tests below: every canary is there to be removed."""
    assert pdf_leaks(hostile_pdf, tmp_path) == sorted(CANARIES)
    with pikepdf.open(io.BytesIO(hostile_pdf)) as pdf:
        assert {"/Outlines", "/Names", "/Dests", "/PageLabels", "/AcroForm"} <= set(
            pdf.Root.keys()
        )


def test_reviewer_copy_of_the_paper_names_nobody(
    client, conference, author, reviewer, chair, frozen, hostile_pdf, tmp_path
):
    paper = SimpleUploadedFile("paper.pdf", hostile_pdf, "application/pdf")
    submission = submit_as_author(client, conference, author, frozen, pdf=paper)

    received = download_as_reviewer(
        client, submission, reviewer, chair, frozen, "reviews:paper"
    )

    assert pdf_leaks(received, tmp_path) == []
    with pikepdf.open(io.BytesIO(received)) as pdf:
        root = pdf.Root
        for key in ("/Outlines", "/Names", "/Dests", "/PageLabels", "/AcroForm"):
            assert key not in root, key
        assert "/StructTreeRoot" not in root
        layers = [str(group.Name) for group in root.OCProperties.OCGs]
        assert layers == ["Layer 1", "Layer 2"]
        first = pdf.pages[0]
        links = [a for a in first.Annots if a.Subtype == pikepdf.Name.Link]
        # External targets gone, internal ones kept as explicit destinations.
        assert ["/A" in link or "/Dest" in link for link in links] == [
            False,
            False,
            True,
            True,
        ]
        last_page = pdf.pages[-1].obj.objgen
        assert links[2].A.D[0].objgen == links[3].Dest[0].objgen == last_page
        for annotation in first.Annots:
            assert not {"/T", "/Contents", "/RC", "/Subj", "/NM"} & set(annotation)
        image = first.Resources.XObject.ImLeak
        jpeg = Image.open(io.BytesIO(image.read_raw_bytes()))
        assert (jpeg.size, dict(jpeg.getexif()), jpeg.info.get("comment")) == (
            (8, 8),
            {},
            None,
        )
    # The paper still reads the same: only the hidden layer's text is gone.
    original, copy = tmp_path / "original.pdf", tmp_path / "copy.pdf"
    original.write_bytes(hostile_pdf)
    copy.write_bytes(received)
    before = [p.text.split() for p in extract_text(str(original), max_pages=10)]
    after = [p.text.split() for p in extract_text(str(copy), max_pages=10)]
    hidden = f"{NAME} {HOMEPAGE}".split()
    at = next(i for i in range(len(before[0])) if before[0][i : i + 3] == hidden)
    assert after == [before[0][:at] + before[0][at + 3 :], *before[1:]]


def test_printed_link_naming_the_author_is_reported_at_upload(
    client, conference, author, frozen, tmp_path
):
    """What is on the page cannot be removed without changing it: the author is
    told, with the address to replace."""
    path = build_paper(
        tmp_path / "paper.pdf",
        extra_text={2: ["Code: https://github.com/zquixotic/sparse"]},
    )
    paper = SimpleUploadedFile("paper.pdf", path.read_bytes(), "application/pdf")
    submission = submit_as_author(client, conference, author, frozen, pdf=paper)

    page = client.get(reverse("submissions:detail", args=[submission.number]))

    [warning] = submission.current_version.warnings
    assert warning["code"] == "identity_in_text"
    assert "'https://github.com/zquixotic/sparse' on page 2" in warning["message"]
    assert "identity_in_text" in page.content.decode()


# --- supplementary ZIP ---------------------------------------------------------------
def images_naming() -> dict[str, bytes]:
    webp, gif = io.BytesIO(), io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = NAME
    Image.new("RGB", (8, 8), (1, 2, 3)).save(
        webp, "WEBP", lossless=True, exif=exif.tobytes(), xmp=f"<x>{NAME}</x>".encode()
    )
    Image.new("P", (8, 8), 3).save(gif, "GIF", comment=f"by {NAME}".encode())
    return {
        "photo.jpg": jpeg_naming(NAME, EMAIL),
        "plot.png": png_naming(NAME, EMAIL),
        "still.webp": webp.getvalue(),
        "anim.gif": gif.getvalue(),
    }


@pytest.fixture
def hostile_zip(tmp_path) -> bytes:
    appendix = build_paper(tmp_path / "appendix.pdf", pages=2, author=NAME)
    post_process(appendix, xmp_creators=[NAME], comment_author=NAME)
    inner = {"deep/appendix.pdf": appendix.read_bytes(), **images_naming()}
    nested = zip_bytes({"level2/more.zip": zip_bytes(inner), **inner})
    return zip_bytes(
        {
            "appendix.pdf": appendix.read_bytes(),
            "figures/": b"",
            **{f"figures/{name}": data for name, data in images_naming().items()},
            "data/nested.zip": nested,
            "run.py": b"print('hello')\n",
        }
    )


def members(data: bytes, prefix: str = "") -> dict[str, bytes]:
    """Every file in the archive and in the archives inside it."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            found[prefix + info.filename] = content
            if info.filename.endswith(".zip"):
                found |= members(content, prefix + info.filename + "/")
    return found


def test_the_hostile_zip_names_the_author_inside_every_file(hostile_zip):
    leaky = {name for name, data in members(hostile_zip).items() if canaries_in(data)}
    assert len(leaky) == 15  # a PDF and 4 images at each of 3 levels


def test_reviewer_copy_of_the_zip_strips_contained_files_at_every_level(
    client, conference, author, reviewer, chair, frozen, hostile_zip, upload, tmp_path
):
    submission = submit_as_author(
        client,
        conference,
        author,
        frozen,
        pdf=upload("good"),
        supplementary=SimpleUploadedFile("material.zip", hostile_zip),
    )

    received = members(
        download_as_reviewer(
            client, submission, reviewer, chair, frozen, "reviews:supplementary"
        )
    )

    original = members(hostile_zip)
    assert list(received) == list(original)  # same entries, same order
    assert {name: canaries_in(data) for name, data in received.items()} == {
        name: [] for name in original
    }
    for name, data in received.items():
        if name.endswith(".pdf"):
            assert pdf_leaks(data, tmp_path) == []
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert "/Info" not in pdf.trailer
                assert len(pdf.pages) == 2
        elif name.endswith((".jpg", ".png", ".webp", ".gif")):
            cleaned, before = (
                Image.open(io.BytesIO(d)) for d in (data, original[name])
            )
            assert dict(cleaned.getexif()) == {}
            assert not {"Author", "XML:com.adobe.xmp", "comment", "xmp"} & set(
                cleaned.info
            )
            # Pixels untouched: nothing was decoded and encoded again.
            assert cleaned.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    assert received["run.py"] == b"print('hello')\n"


def deep_zip(levels: int) -> bytes:
    data = zip_bytes({"x.txt": b"1"})
    for _ in range(levels):
        data = zip_bytes({"inner.zip": data})
    return data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            zip_bytes({"data.tar.gz": b"\x1f\x8b\x08\x00" + b"0" * 50}),
            "'data.tar.gz' is an archive inside the ZIP archive in a format that "
            "cannot be checked (only ZIP can).",
        ),
        (
            zip_bytes({"code.7z": b"7z\xbc\xaf\x27\x1c" + b"0" * 50}),
            "'code.7z' is an archive inside the ZIP archive in a format that "
            "cannot be checked (only ZIP can).",
        ),
        (
            deep_zip(MAX_DEPTH + 1),
            f"at most {MAX_DEPTH} levels of archives inside the archive are accepted",
        ),
        (
            zip_bytes({"inner.zip": zip_bytes({"zeros": b"0" * 600_000})}),
            "The ZIP archive unpacks to more than",
        ),
        (
            zip_bytes({"broken.pdf": b"%PDF-1.7\n1 0 obj garbage\n%%EOF\n"}),
            "The PDF 'broken.pdf' in the ZIP archive cannot be processed",
        ),
        (
            zip_bytes({"a/photo.jpg": b"\xff\xd8\xff\xe1\x00"}),
            "The image 'a/photo.jpg' in the ZIP archive is damaged",
        ),
    ],
    ids=["tar", "7z", "too-deep", "nested-bomb", "broken-pdf", "broken-jpeg"],
)
def test_archives_that_cannot_be_cleaned_are_refused_with_the_reason(
    client, conference, author, frozen, content, message
):
    from submissions.models import SubmissionSettings

    settings = SubmissionSettings.objects.for_conference(conference)
    settings.supplementary_max_bytes = 50_000  # unpacked limit: 500 kB in all
    settings.save()
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    upload = SimpleUploadedFile("material.zip", content)

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, supplementary=upload),
    )

    [error] = response.context["form"].errors["supplementary"]
    assert message in error
    assert Submission.objects.count() == 0


def test_zip_within_the_depth_limit_is_accepted(conference, author, tmp_path):
    from submissions.pdfcheck.archive import process_zip

    (tmp_path / "deep.zip").write_bytes(deep_zip(MAX_DEPTH))

    report = process_zip(tmp_path / "deep.zip", tmp_path / "copy.zip")

    assert report.warnings == []
    assert members((tmp_path / "copy.zip").read_bytes())[
        "inner.zip/" * MAX_DEPTH + "x.txt"
    ] == (b"1")


def test_files_whose_properties_stay_are_reported(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    upload = SimpleUploadedFile(
        "material.zip", zip_bytes({"scan.tiff": b"II*\x00", "notes.docx": b"PK"})
    )

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, supplementary=upload),
        follow=True,
    )

    page = response.content.decode()
    assert "metadata_kept" in page
    assert "Reviewers get &#x27;scan.tiff&#x27;, &#x27;notes.docx&#x27; as" in page


# --- fuzz: a broken file is refused with a sentence, never a crash -----------------
@functools.cache
def _hostile_paper() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = build_paper(Path(folder) / "hostile.pdf", pages=2, author=NAME)
        add_identifying_extras(path, name=NAME, email=EMAIL, homepage=HOMEPAGE)
        return path.read_bytes()


@hypothesis_settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_corrupted_hostile_paper_is_copied_or_refused(data: st.DataObject) -> None:
    content = bytearray(_hostile_paper())
    for _ in range(data.draw(st.integers(1, 30))):
        position = data.draw(st.integers(0, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        source, copy = Path(folder) / "corrupt.pdf", Path(folder) / "copy.pdf"
        source.write_bytes(bytes(content))

        problem = ""
        try:
            make_reviewer_copy(source, copy, sandbox=False)
        except ReviewerCopyError as error:
            problem = str(error)

        if problem:
            assert re.fullmatch(r"[A-Z][^\n]*\.", problem)
            assert not copy.exists()
        else:
            with pikepdf.open(copy) as pdf:
                assert "/Info" not in pdf.trailer


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["jpeg", "png", "webp", "gif"]),
    cut=st.integers(0, 400),
    noise=st.binary(max_size=64),
)
def test_damaged_images_are_refused_never_crash(kind, cut, noise) -> None:
    valid = {k.split(".")[1]: v for k, v in images_naming().items()}
    valid["jpeg"] = valid.pop("jpg")
    data = valid[kind][:cut] + noise

    try:
        cleaned = clean_image_bytes(kind, data)
    except ImageDamaged:
        return
    assert canaries_in(cleaned) == []

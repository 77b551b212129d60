"""The one sanitiser of every file reviewers receive: the paper, a
supplementary PDF, and the PDFs and images inside a supplementary ZIP.

A PDF keeps what is drawn on its pages and loses everything else that can
name a person or run something: the document info dictionary, XMP metadata
anywhere, JavaScript and automatic actions, embedded files, the form (field
names, tooltips and values; filled-in fields are flattened into the page, so
they look the same), comment authors and texts, outlines, named destinations,
page labels and link targets (navigation.py), layer names, hidden layers'
content and alternate texts (layers.py), thumbnails, PieceInfo (application
private data), and EXIF/XMP inside JPEG images (images.py). The catalog,
each page and each annotation keep only the keys listed below, so an entry
nobody thought of goes too. qpdf always writes a complete new file, so nothing
of the original survives as an earlier revision.

What stays on the page (an email address printed in the text) cannot be
removed without changing the paper: the check reports it to the author.
archive.py sends the PDFs of a ZIP here (make_reviewer_copies, one sandboxed
child per batch) and its images to images.clean_image.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from . import sandbox as _sandbox
from .annotations import clean_annotations, flatten_form, keep_only
from .content_size import ContentTooLarge, content_over_budget
from .images import ImageDamaged, clean_image_bytes
from .layers import clean_optional_content
from .navigation import clean_navigation

# Keys removed wherever they appear: XMP streams, app private data, automatic
# actions (page open/close, field keystroke...), associated files (PDF 2.0).
_STRIPPED_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/AF")
# What the catalog, a page and an annotation keep: what draws the pages and
# moves between them. Everything else goes, known or not (/AcroForm, /DSS and
# /Perms with the signer's certificate, /StructTreeRoot, /Outlines, /Names,
# /Dests, /PageLabels, /Threads, /URI, /SpiderInfo, /OpenAction; a page's /B
# and /Thumb; private keys of some editor...): a list of what to remove would
# miss what nobody thought of.
_CATALOG_KEPT = frozenset(
    [
        "/Type",
        "/Pages",
        "/OCProperties",
        "/Lang",
        "/PageLayout",
        "/PageMode",
        "/Version",
        "/Extensions",
        "/OutputIntents",
        "/ViewerPreferences",
        "/Requirements",
    ]
)
_PAGE_KEPT = frozenset(
    [
        "/Type",
        "/Parent",
        "/Resources",
        "/Contents",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/BoxColorInfo",
        "/Rotate",
        "/Group",
        "/Annots",
        "/UserUnit",
        "/Trans",
        "/Dur",
    ]
)
_PAGE_MODES_KEPT = (Name.UseNone, Name.FullScreen, Name.UseOC)


def _dicts(pdf: Pdf) -> Iterator[Dictionary | Stream]:
    """Every dictionary in the file, direct ones nested in objects included.

    Indirect objects are visited once from pdf.objects; references inside them
    are not followed again, so cycles cannot loop.
    """
    for obj in pdf.objects:
        yield from _nested_dicts(obj)


def _nested_dicts(obj: object) -> Iterator[Dictionary | Stream]:
    stack = [obj]
    while stack:
        current = stack.pop()
        if isinstance(current, Dictionary | Stream):
            yield current
            # Streams are not iterable like dicts; keys() works for both.
            children = [current[key] for key in current.keys()]  # noqa: SIM118
        elif isinstance(current, Array):
            children = list(current)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, Dictionary | Stream | Array) and not child.is_indirect
        )


def _is_javascript(obj: object) -> bool:
    return isinstance(obj, Dictionary) and (
        obj.get("/S") == Name.JavaScript or "/JS" in obj
    )


def has_javascript(pdf: Pdf) -> bool:
    """Any JavaScript action or script in the document.

    Not just an /OpenAction: hyperref adds a harmless /GoTo one to most LaTeX
    papers.
    """
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary) and "/JavaScript" in names:
        return True
    return any(_is_javascript(obj) for obj in _dicts(pdf))


def strip_identifying_data(pdf: Pdf) -> None:
    """Remove everything but the pages' appearance that can name or run, in place."""
    root = pdf.Root
    with contextlib.suppress(KeyError):
        del pdf.trailer["/Info"]
    # Links are rewritten while the named destinations still exist.
    clean_navigation(pdf)
    clean_optional_content(pdf)
    flatten_form(pdf)
    keep_only(root, _CATALOG_KEPT)
    page_mode = root.get("/PageMode")
    if page_mode is not None and page_mode not in _PAGE_MODES_KEPT:
        del root["/PageMode"]  # outlines, attachments, thumbnails: all gone
    for page in pdf.pages:
        keep_only(page.obj, _PAGE_KEPT)
        clean_annotations(page.obj)
    for obj in list(_dicts(pdf)):
        for key in list(obj.keys()):
            if key in _STRIPPED_KEYS or _is_javascript(obj[key]):
                del obj[key]
        if _is_javascript(obj) and "/JS" in obj:
            # An action reachable only as an indirect object: make it inert.
            del obj["/JS"]
            obj["/S"] = Name.Named
            obj["/N"] = Name.NextPage
    _clean_jpeg_images(pdf)
    # A fresh identifier: /ID[0] otherwise links the copy to the original file.
    pdf.trailer["/ID"] = Array(
        [
            pikepdf.String(secrets.token_bytes(16)),
            pikepdf.String(secrets.token_bytes(16)),
        ]
    )


def _clean_jpeg_images(pdf: Pdf) -> None:
    """EXIF and XMP segments out of JPEG image streams, data kept as is."""
    for obj in pdf.objects:
        if not (isinstance(obj, Stream) and obj.get("/Subtype") == Name.Image):
            continue
        filters = obj.get("/Filter")
        if filters != Name.DCTDecode and not (
            isinstance(filters, Array) and list(filters) == [Name.DCTDecode]
        ):
            continue  # chains ending in DCT are rare; JPX has no EXIF segments
        try:
            raw = obj.read_raw_bytes()
            cleaned = clean_image_bytes("jpeg", raw)
        except (ImageDamaged, pikepdf.PdfError):
            continue  # a viewer would not show it either; nothing to strip
        if cleaned != raw:
            obj.write(
                cleaned, filter=Name.DCTDecode, decode_parms=obj.get("/DecodeParms")
            )


def write_reviewer_copy(src: str | Path, dst: str | Path) -> None:
    """Write the sanitised copy of src to dst (atomically, via a temporary file).

    A file with only an owner password opens without one and is written
    decrypted. Raises pikepdf.PasswordError when a user password is needed.
    """
    dst = Path(dst)
    with pikepdf.open(src) as pdf:
        # Before anything reads a stream: a decompression bomb would cost
        # seconds of inflating here (layers.py searches the content streams).
        if content_over_budget(pdf):
            raise ContentTooLarge
        strip_identifying_data(pdf)
        handle, temporary = tempfile.mkstemp(
            prefix=".reviewer-copy-", suffix=".pdf", dir=dst.parent
        )
        os.close(handle)
        try:
            pdf.save(
                temporary,
                encryption=False,
                preserve_pdfa=False,  # the PDF/A claim lived in the removed XMP
                fix_metadata_version=False,  # would write a new XMP stream back
            )
            Path(temporary).replace(dst)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def copy_problem(src: str | Path, dst: str | Path) -> str | None:
    """Write the copy; return why it failed, as a sentence, or None."""
    try:
        write_reviewer_copy(src, dst)
    except pikepdf.PasswordError:
        return "The PDF needs a password to open."
    except ContentTooLarge:
        return (
            "The pages hold more drawing data than can be processed; the file "
            "may be damaged."
        )
    except (pikepdf.PdfError, RuntimeError):  # qpdf's own errors, e.g. page tree
        return "The PDF is damaged and cannot be read."
    except (ValueError, TypeError, KeyError, AttributeError):
        # Malformed objects (a /Annots of numbers, a name where an array
        # belongs) surface anywhere; the traceback goes to stderr for us.
        traceback.print_exc()
        return "The PDF could not be processed; it may be damaged."
    return None


class ReviewerCopyError(Exception):
    """The reviewer copy could not be written (password, damage, limits)."""


def make_reviewer_copy(
    src: str | Path, dst: str | Path, *, sandbox: bool = True
) -> None:
    """Write an anonymised copy of src to dst for reviewers.

    Raises ReviewerCopyError (a sentence for the author) when the file cannot be
    processed; dst is then left as it was.
    """
    if not sandbox:
        if problem := copy_problem(src, dst):
            raise ReviewerCopyError(problem)
        return
    # The parent names the child's output file, so it can remove it even when
    # the child is killed halfway through writing.
    dst = Path(dst)
    handle, temporary = tempfile.mkstemp(
        prefix=".reviewer-copy-", suffix=".pdf", dir=dst.parent
    )
    os.close(handle)
    try:
        answer = _sandbox.run("copy", str(src), temporary)
        if not answer.get("ok"):
            raise ReviewerCopyError(str(answer.get("error")))
        Path(temporary).replace(dst)
    except _sandbox.SandboxError as error:
        raise ReviewerCopyError(error.message) from error
    finally:
        Path(temporary).unlink(missing_ok=True)


# Files per sandboxed child: its CPU limit is shared by the batch.
_BATCH = 10


def make_reviewer_copies(
    pairs: Sequence[tuple[Path, Path]], *, sandbox: bool = True
) -> list[str | None]:
    """Reviewer copies of many PDFs (the members of a ZIP archive), a few per
    sandboxed child. Returns, per pair, None or why its copy failed; a failed
    copy leaves its dst absent."""
    problems: list[str | None] = []
    for start in range(0, len(pairs), _BATCH):
        batch = pairs[start : start + _BATCH]
        if not sandbox:
            problems += [copy_problem(src, dst) for src, dst in batch]
            continue
        try:
            answer = _sandbox.run(
                "copy", *(str(path) for pair in batch for path in pair)
            )
            errors = answer.get("errors")
            if not isinstance(errors, list) or len(errors) != len(batch):
                raise _sandbox.SandboxError("The PDF could not be processed.")
        except _sandbox.SandboxError as error:
            for _src, dst in batch:
                Path(dst).unlink(missing_ok=True)
            errors = [error.message] * len(batch)
        problems += [None if e is None else str(e) for e in errors]
    return problems

"""The reviewer copy: the same pages without anything that names or runs.

Removes the document info dictionary, XMP metadata anywhere, JavaScript and
automatic actions, embedded files, form field values, the author fields of
comments, and PieceInfo (application private data). The page content is left
untouched. qpdf always writes a complete new file, so nothing of the original
survives as an earlier revision.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from . import sandbox as _sandbox

# Keys removed wherever they appear: XMP streams, app private data, automatic
# actions (page open/close, field keystroke...), associated files (PDF 2.0).
_STRIPPED_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/AF")
# Catalog entries that run something or carry files.
_STRIPPED_CATALOG_KEYS = ("/OpenAction", "/Collection", "/Threads")
_STRIPPED_NAME_TREES = ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations")
# Markup annotations whose /T is the author's label (for widgets /T is a field name).
_MARKUP_SUBTYPES = frozenset(
    [
        "/Text",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Stamp",
        "/Caret",
        "/Ink",
        "/Sound",
        "/Redact",
    ]
)
_DROPPED_ANNOTATIONS = frozenset({"/FileAttachment", "/Popup", "/Sound", "/Movie"})


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
    """Remove metadata, scripts, attachments and comment authors in place."""
    root = pdf.Root
    with contextlib.suppress(KeyError):
        del pdf.trailer["/Info"]
    for key in _STRIPPED_CATALOG_KEYS:
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in _STRIPPED_NAME_TREES:
            if key in names:
                del names[key]
    _strip_form(root)
    for page in pdf.pages:
        _strip_annotations(page.obj)
    for obj in list(_dicts(pdf)):
        for key in list(obj.keys()):
            if key in _STRIPPED_KEYS or _is_javascript(obj[key]):
                del obj[key]
        if _is_javascript(obj) and "/JS" in obj:
            # An action reachable only as an indirect object: make it inert.
            del obj["/JS"]
            obj["/S"] = Name.Named
            obj["/N"] = Name.NextPage
    # A fresh identifier: /ID[0] otherwise links the copy to the original file.
    pdf.trailer["/ID"] = Array(
        [
            pikepdf.String(secrets.token_bytes(16)),
            pikepdf.String(secrets.token_bytes(16)),
        ]
    )


def _strip_form(root: Dictionary) -> None:
    form = root.get("/AcroForm")
    if not isinstance(form, Dictionary):
        return
    if "/XFA" in form:
        del form["/XFA"]  # XFA packets carry the form data as XML
    stack = list(form.get("/Fields", Array()))
    seen: set[tuple[int, int]] = set()
    while stack:
        field = stack.pop()
        if not isinstance(field, Dictionary):
            continue
        if field.is_indirect:
            if field.objgen in seen:
                continue
            seen.add(field.objgen)
        for key in ("/V", "/RV"):
            if key in field:
                del field[key]
        stack.extend(field.get("/Kids", Array()))


def _strip_annotations(page: Dictionary) -> None:
    annotations = page.get("/Annots")
    if not isinstance(annotations, Array):
        return
    kept = Array()
    for annotation in annotations:
        if not isinstance(annotation, Dictionary):
            continue
        subtype = annotation.get("/Subtype")
        if subtype in _DROPPED_ANNOTATIONS:
            continue
        if subtype in _MARKUP_SUBTYPES:
            for key in ("/T", "/RC", "/Popup"):
                if key in annotation:
                    del annotation[key]
        kept.append(annotation)
    page["/Annots"] = kept


def write_reviewer_copy(src: str | Path, dst: str | Path) -> None:
    """Write the sanitised copy of src to dst (atomically, via a temporary file).

    A file with only an owner password opens without one and is written
    decrypted. Raises pikepdf.PasswordError when a user password is needed.
    """
    dst = Path(dst)
    with pikepdf.open(src) as pdf:
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
    except pikepdf.PdfError:
        return "The PDF is damaged and cannot be read."
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

"""Annotations and the form in the reviewer copy (see sanitize.py).

Annotations keep what draws them and where links lead; the form is flattened
into the page and removed.
"""

from __future__ import annotations

import contextlib

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

# Not kept, among others: the author (/T), text (/Contents, rich text /RC),
# subject, name, dates, reply and popup links of an annotation.
_ANNOTATION_KEPT = frozenset(
    [
        "/Type",
        "/Subtype",
        "/Rect",
        "/AP",
        "/AS",
        "/F",
        "/Border",
        "/BS",
        "/BE",
        "/C",
        "/IC",
        "/CA",
        "/ca",
        "/BM",
        "/QuadPoints",
        "/InkList",
        "/Vertices",
        "/L",
        "/LE",
        "/LL",
        "/LLE",
        "/LLO",
        "/Q",
        "/DA",
        "/DS",
        "/RD",
        "/Sy",
        "/CL",
        "/IT",
        "/Dest",
        "/A",
        "/H",
        "/OC",
        "/Rotate",
        "/Open",
        "/Name",
        "/StateModel",
        "/State",
        "/Measure",
        "/Path",
    ]
)
_DROPPED_ANNOTATIONS = frozenset(
    ["/FileAttachment", "/Popup", "/Sound", "/Movie", "/Screen", "/3D", "/RichMedia"]
)


def keep_only(obj: Dictionary, kept: frozenset[str]) -> None:
    for key in list(obj.keys()):
        if key not in kept:
            del obj[key]


def flatten_form(pdf: Pdf) -> None:
    """Draw filled-in form fields into the page, then drop the form.

    Field names (/T), tooltips (/TU), values and signatures (whose /V names
    the signer) all go; what a field shows stays, as page content. Other
    annotations are set aside meanwhile so that only the form is flattened.
    """
    form = pdf.Root.get("/AcroForm")
    has_widgets = any(
        isinstance(a, Dictionary) and a.get("/Subtype") == Name.Widget
        for page in pdf.pages
        for a in page.obj.get("/Annots", Array())
    )
    if not isinstance(form, Dictionary) and not has_widgets:
        return
    aside: list[list[Dictionary]] = []
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, Array):
            aside.append([])
            continue
        widgets = [a for a in annotations if _is_widget(a)]
        aside.append([a for a in annotations if not _is_widget(a)])
        page.obj.Annots = Array(widgets)
    try:
        if isinstance(form, Dictionary):
            # Fields whose value has no appearance yet get one, so the
            # flattened page shows what a viewer would have shown.
            with contextlib.suppress(pikepdf.PdfError, RuntimeError):
                pdf.generate_appearance_streams()
        # Should qpdf fail, the widgets are dropped unflattened below.
        with contextlib.suppress(pikepdf.PdfError, RuntimeError):
            pdf.flatten_annotations("all")
    finally:
        for page, others in zip(pdf.pages, aside, strict=True):
            # Widgets left (hidden ones, or without appearance) go too.
            if others or "/Annots" in page.obj:
                page.obj.Annots = Array(others)


def _is_widget(annotation: object) -> bool:
    return (
        isinstance(annotation, Dictionary) and annotation.get("/Subtype") == Name.Widget
    )


def clean_annotations(page: Dictionary) -> None:
    annotations = page.get("/Annots")
    if not isinstance(annotations, Array):
        return
    kept = Array()
    for annotation in annotations:
        if not isinstance(annotation, Dictionary):
            continue
        subtype = annotation.get("/Subtype")
        if subtype in _DROPPED_ANNOTATIONS or subtype == Name.Widget:
            continue
        keep_only(annotation, _ANNOTATION_KEPT)
        kept.append(annotation)
    page["/Annots"] = kept

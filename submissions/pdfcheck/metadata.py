"""Who the file's metadata names: document info, XMP and comment authors.

Reviewers can open a PDF's properties, so a paper whose body is anonymous can
still give its authors away here (Typst and hyperref copy the author list into
both the info dictionary and XMP).
"""

from __future__ import annotations

import re

import pikepdf

from .identity import IdentityMatcher, is_placeholder


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that show a Creator/Producer string is software, not a person.
_SOFTWARE_WORDS = _words(
    """latex tex pdftex xetex luatex typst word microsoft office acrobat adobe
    distiller pdf writer libreoffice openoffice quartz ghostscript skia chrome
    chromium google docs apple macos windows printer print converter dvips dvipdfm
    dvipdfmx hyperref pages keynote powerpoint excel inkscape cairo pdfium prince
    overleaf pandoc scribus indesign illustrator framemaker foxit nitro pdfcreator
    pikepdf qpdf pypdf reportlab itext mupdf poppler tcpdf fpdf wps scanner scan
    epson canon xerox ricoh kyocera lexmark driver engine library version software
    system services service online editor export exporter tool tools"""
)
# A capitalised word, or a lowercase surname particle ("Ludwig van Beethoven").
_PERSON_TOKEN = re.compile(
    r"^(?:[A-Z][\w.'\u2019-]*|van|von|de|da|di|del|der|le|la|du)$"
)


def looks_like_person(value: str) -> bool:
    """Heuristic for Creator/Producer strings: 2-4 capitalised words, no software."""
    words = value.split()
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in value):
        return False
    if any(word.lower().strip(".,()") in _SOFTWARE_WORDS for word in words):
        return False
    return all(_PERSON_TOKEN.match(word.strip(",")) for word in words)


def people_in_metadata(pdf: pikepdf.Pdf, matcher: IdentityMatcher) -> list[str]:
    """Descriptions like "document property Author 'Jane Doe'", one per finding."""
    named: list[str] = []
    for key, value in _docinfo(pdf).items():
        # Author is meant for people; Creator/Producer normally name software
        # but sometimes a person; any field may quote a listed author.
        if (
            (key == "Author" and not is_placeholder(value))
            or (key in ("Creator", "Producer") and looks_like_person(value))
            or matcher.identities_in(value, affiliations=False)
        ):
            named.append(f"document property {key} '{value}'")
    creators, xmp_text = _xmp(pdf)
    named += [f"XMP creator '{c}'" for c in creators if not is_placeholder(c)]
    listed = matcher.identities_in(xmp_text, affiliations=False)
    unreported = [f.value for f in listed if not any(f.value in n for n in named)]
    if unreported:
        named.append("XMP metadata (" + ", ".join(dict.fromkeys(unreported)) + ")")
    named += [f"comment author '{author}'" for author in _comment_authors(pdf)]
    return list(dict.fromkeys(named))


def _docinfo(pdf: pikepdf.Pdf) -> dict[str, str]:
    info = pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary):
        return {}
    values = {}
    for key, value in info.items():
        if isinstance(value, pikepdf.String) and (text := str(value).strip()):
            values[key.lstrip("/")] = text
    return values


def _xmp(pdf: pikepdf.Pdf) -> tuple[list[str], str]:
    """dc:creator entries and the plain text of the XMP packet."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return [], ""
    try:
        raw = stream.read_bytes().decode("utf-8", errors="replace")
        creators = pdf.open_metadata().get("dc:creator") or []
    except Exception:  # malformed XMP is common and harmless for the check
        return [], ""
    if isinstance(creators, str):
        creators = [creators]
    text = re.sub(r"<[^>]*>", " ", raw)
    return [str(c).strip() for c in creators if str(c).strip()], text


def _comment_authors(pdf: pikepdf.Pdf) -> list[str]:
    authors = []
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            if annotation.get("/Subtype") in (pikepdf.Name.Widget, pikepdf.Name.Link):
                continue  # a widget's /T is a form field name
            label = annotation.get("/T")
            if isinstance(label, pikepdf.String) and not is_placeholder(str(label)):
                authors.append(str(label).strip())
    return list(dict.fromkeys(authors))

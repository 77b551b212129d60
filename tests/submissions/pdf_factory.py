"""Synthetic papers for the PDF check tests, drawn with reportlab.

`build_paper` lays out a two-column workshop paper (title, byline, abstract,
body, References heading at a chosen page and column, appendix, reference list)
with optional review-template line numbers and running header. `post_process`
adds what reportlab cannot write (XMP, JavaScript, attachments, comments,
encryption) with pikepdf. Nothing here reads third-party papers.
"""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pikepdf
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

ANONYMOUS_BYLINE = (
    "Anonymous Authors",
    "Anonymous Institution",
    "anon.email@domain.com",
)
JANE = "Jane Q. Nobody <jane.nobody@example.org> (Nowhere Institute of Technology)"
JANE_BYLINE = (
    "Jane Q. Nobody",
    "Nowhere Institute of Technology",
    "jane.nobody@example.org",
)

# Each line fits a 240 pt column in 10 pt Times (about 50 characters).
_SENTENCES = (
    "We study how workshop papers are reviewed and",
    "what makes them clear. The method is simple and",
    "we evaluate it on three public benchmarks. Our",
    "results improve over the baseline while the cost",
    "stays the same; limitations are discussed too.",
)
_REFERENCE = "Lovelace, A. Notes on the engine. J. Eng., 1843."

LEFT_X, RIGHT_X, COLUMN_WIDTH = 54.0, 318.0, 240.0
TOP_Y, BOTTOM_Y, LEADING = 720.0, 72.0, 12.0

Column = Literal["left", "right"]


@dataclass
class Paper:
    """What to draw. Pages are 1-based."""

    pages: int = 4
    title: str = "Clear Reviews for Small Workshops"
    byline: Sequence[str] = ANONYMOUS_BYLINE
    # Byline text drawn in a font size of its own (e.g. small-caps emails).
    references_page: int | None = 4
    references_column: Column = "left"
    # Lines of body text above the heading in its column (0 = top of column).
    body_lines_before_references: int = 0
    references_heading: str = "References"
    appendix_heading: str | None = "A. Proofs"
    appendix_page: int | None = None  # default: the page after the references
    line_numbers: bool = False
    running_header: str | None = "Instructions for the Haet Workshop 2025"
    page_size: tuple[float, float] = letter
    # Extra body text per page, drawn at the top of the left column.
    extra_text: dict[int, list[str]] = field(default_factory=dict)
    # The same at the top of the right column.
    extra_text_right: dict[int, list[str]] = field(default_factory=dict)
    # Draw no text at all (a "scan"): grey boxes only.
    text: bool = True
    author: str | None = None  # document info /Author
    creator: str | None = None
    abstract: bool = True
    # Vector paths per page in a plot (a form XObject, as LaTeX includes a
    # figure): scatter plots with thousands of markers slowed the text extraction.
    figure_paths: int = 0


def build_paper(path: Path, paper: Paper | None = None, **changes: object) -> Path:
    """Draw the paper to path and return path."""
    paper = paper or Paper()
    for key, value in changes.items():
        setattr(paper, key, value)
    canvas = Canvas(str(path), pagesize=paper.page_size, invariant=True)
    canvas.setTitle(paper.title)
    if paper.author is not None:
        canvas.setAuthor(paper.author)
    if paper.creator is not None:
        canvas.setCreator(paper.creator)
    for number in range(1, paper.pages + 1):
        if paper.text:
            _draw_page(canvas, paper, number)
        else:
            _draw_scan(canvas, paper)
        canvas.showPage()
    canvas.save()
    if paper.figure_paths:
        # reportlab writes /Filter [/FlateDecode] (an array), which qpdf
        # recompresses on every save; TeX and matplotlib write the plain name,
        # as this rewrite does: the file then costs what a real one costs.
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            pdf.save(path)
    return path


def _draw_scan(canvas: Canvas, paper: Paper) -> None:
    width, height = paper.page_size
    canvas.setFillGray(0.85)
    for row in range(40):
        canvas.rect(60, height - 100 - row * 16, width - 120, 8, stroke=0, fill=1)


def _line_ys(top: float = TOP_Y) -> list[float]:
    count = int((top - BOTTOM_Y) // LEADING)
    return [top - i * LEADING for i in range(count)]


def _draw_page(canvas: Canvas, paper: Paper, number: int) -> None:
    width, height = paper.page_size
    scale_x = width / letter[0]
    left_x, right_x = LEFT_X * scale_x, RIGHT_X * scale_x
    top = TOP_Y
    if paper.running_header and number > 1:
        canvas.setFont("Times-Bold", 9)
        canvas.drawCentredString(width / 2, height - 48, paper.running_header)
    canvas.setFont("Times-Roman", 10)
    canvas.drawCentredString(width / 2, 36, str(number))
    if number == 1:
        top = _draw_front_matter(canvas, paper, width)
    if paper.figure_paths:
        _draw_scatter_plot(canvas, f"plot{number}", paper.figure_paths, seed=number)

    references_page = paper.references_page
    appendix_page = paper.appendix_page or (
        references_page + 1 if references_page else None
    )
    columns: list[tuple[float, list[str]]] = []
    for column_name, x in (("left", left_x), ("right", right_x)):
        lines = _column_lines(paper, number, column_name, appendix_page)
        columns.append((x, lines))
    for x, lines in columns:
        for y, text in zip(_line_ys(top), lines, strict=False):
            if text.startswith("#"):
                canvas.setFont("Times-Bold", 12)
                canvas.drawString(x, y, text[1:])
            else:
                canvas.setFont("Times-Roman", 10)
                canvas.drawString(x, y, text)
    if paper.line_numbers:
        canvas.setFont("Helvetica-Bold", 8)
        base = (number - 1) * 110
        for i, y in enumerate(_line_ys(top)):
            canvas.drawString(20 * scale_x, y, f"{base + i:03d}")
            canvas.drawString(width - 40 * scale_x, y, f"{base + 55 + i:03d}")


def _draw_scatter_plot(canvas: Canvas, name: str, markers: int, *, seed: int) -> None:
    """A plot of `markers` circles plus axes, behind the text of the page."""
    rng = random.Random(seed)
    canvas.beginForm(name)
    canvas.setLineWidth(0.3)
    canvas.line(60, 90, 560, 90)
    canvas.line(60, 90, 60, 700)
    for _ in range(markers):
        canvas.circle(rng.uniform(62, 558), rng.uniform(92, 698), 1.2, fill=1)
    canvas.endForm()
    canvas.doForm(name)


def _draw_front_matter(canvas: Canvas, paper: Paper, width: float) -> float:
    canvas.setFont("Times-Bold", 14)
    canvas.drawCentredString(width / 2, 700, paper.title)
    y = 676.0
    for line in paper.byline:
        canvas.setFont("Times-Roman", 10)
        canvas.drawCentredString(width / 2, y, line)
        y -= 12
    y -= 18
    if paper.abstract:
        canvas.setFont("Times-Bold", 12)
        canvas.drawCentredString(LEFT_X + COLUMN_WIDTH / 2, y, "Abstract")
        y -= 16
    return y


def _column_lines(
    paper: Paper, number: int, column: Column, appendix_page: int | None
) -> list[str]:
    """Text lines of one column; a leading '#' marks a heading."""
    lines: list[str] = []
    if column == "left":
        lines += paper.extra_text.get(number, [])
    else:
        lines += paper.extra_text_right.get(number, [])
    before_refs = paper.references_page is None or number < paper.references_page
    on_refs_page = number == paper.references_page
    refs_here = on_refs_page and column == paper.references_column
    refs_column_passed = on_refs_page and (
        column == "right" and paper.references_column == "left"
    )
    if number == appendix_page and paper.appendix_heading and column == "left":
        lines.append("#" + paper.appendix_heading)
        return lines + _body(40)
    if before_refs or (on_refs_page and not refs_here and not refs_column_passed):
        if number == 1 and column == "left" and paper.abstract:
            lines += _body(8, indent="  ")
        return lines + _body(60)
    if refs_here:
        lines += _body(paper.body_lines_before_references)
        if paper.body_lines_before_references:
            lines.append("")
        lines.append("#" + paper.references_heading)
    return lines + [_REFERENCE] * 50


def _body(count: int, indent: str = "") -> list[str]:
    return [indent + _SENTENCES[i % len(_SENTENCES)] for i in range(count)]


def post_process(
    src: Path,
    dst: Path | None = None,
    *,
    xmp_creators: Iterable[str] = (),
    comment_author: str | None = None,
    javascript: bool = False,
    attachment: bytes | None = None,
    form_value: str | None = None,
    piece_info: bool = False,
    owner_password: str | None = None,
    user_password: str | None = None,
) -> Path:
    """Add what reportlab cannot draw, with pikepdf; writes dst (default: src)."""
    dst = dst or src
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        if creators := list(xmp_creators):
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:creator"] = creators
        page = pdf.pages[0]
        annotations = pikepdf.Array()
        if comment_author is not None:
            annotations.append(
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.Text,
                        Rect=[100, 100, 120, 120],
                        Contents=pikepdf.String("Please shorten this."),
                        T=pikepdf.String(comment_author),
                    )
                )
            )
        if javascript:
            action = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Action,
                    S=pikepdf.Name.JavaScript,
                    JS=pikepdf.String("app.alert('hello from the PDF');"),
                )
            )
            pdf.Root.OpenAction = action
            pdf.Root.Names = pikepdf.Dictionary(
                JavaScript=pikepdf.Dictionary(
                    Names=pikepdf.Array([pikepdf.String("hello"), action])
                )
            )
            page.obj.AA = pikepdf.Dictionary(O=action)
        if attachment is not None:
            pdf.attachments["data.txt"] = pikepdf.AttachedFileSpec(pdf, attachment)
        if form_value is not None:
            field_dict = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Widget,
                    FT=pikepdf.Name.Tx,
                    T=pikepdf.String("name"),
                    V=pikepdf.String(form_value),
                    Rect=[300, 40, 400, 60],
                    P=page.obj,
                )
            )
            annotations.append(field_dict)
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field_dict]))
        if piece_info:
            page.obj.PieceInfo = pikepdf.Dictionary(
                Editor=pikepdf.Dictionary(Private=pikepdf.String("edited by Jane"))
            )
        if len(annotations):
            page.obj.Annots = annotations
        encryption: pikepdf.Encryption | bool = False
        if owner_password or user_password:
            encryption = pikepdf.Encryption(
                owner=owner_password or "owner-secret", user=user_password or "", R=6
            )
        pdf.save(dst, encryption=encryption, compress_streams=False)
    return dst


# --- hostile files: everything but the page text names the author --------------------
def jpeg_naming(name: str, email: str) -> bytes:
    """An 8x8 JPEG whose EXIF (Artist, Copyright), XMP (dc:creator) and comment
    segment name a person, as cameras and photo editors write them."""
    from PIL import Image  # reportlab's dependency: always there with it

    exif = Image.Exif()
    exif[0x013B] = name  # Artist
    exif[0x8298] = f"(c) {name} <{email}>"  # Copyright
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    data = buffer.getvalue()
    xmp = _xmp_packet(name, email)
    xmp_segment = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    comment = f"Photo by {name}".encode()
    com_segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + xmp_segment + com_segment + data[2:]


def png_naming(name: str, email: str) -> bytes:
    """An 8x8 PNG with tEXt Author, iTXt XMP and an eXIf chunk naming a person."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", name)
    info.add_itxt("XML:com.adobe.xmp", _xmp_packet(name, email).decode())
    exif = Image.Exif()
    exif[0x013B] = name
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 200, 30)).save(
        buffer, "PNG", pnginfo=info, exif=exif.tobytes()
    )
    return buffer.getvalue()


def _xmp_packet(name: str, email: str) -> bytes:
    return (
        b"http://ns.adobe.com/xap/1.0/\x00"
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
        b'1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/'
        b'elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
        + f"{name} ({email})".encode()
        + b"</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
        b"</x:xmpmeta>"
    )


def add_identifying_extras(path: Path, *, name: str, email: str, homepage: str) -> Path:
    """Give a drawn paper every place besides its visible text where PDFs name
    their authors: bookmarks, named destinations, page labels, links (mailto:
    and a homepage), an image with EXIF/XMP, a comment with author, text and
    rich text, layers named after the author (one hidden, holding a byline on
    the first page), alternate texts and a structure tree, a form field with
    name, tooltip and value, and a thumbnail. Rewrites path in place."""
    handle = name.replace(" ", "-").lower()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        first, last = pdf.pages[0], pdf.pages[-1]
        root = pdf.Root

        def string(text: str) -> pikepdf.String:
            return pikepdf.String(text)

        # Bookmarks.
        outlines = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
        item = pdf.make_indirect(
            pikepdf.Dictionary(
                Title=string(f"About {name}"),
                Parent=outlines,
                Dest=pikepdf.Array([last.obj, pikepdf.Name.Fit]),
            )
        )
        outlines.First = outlines.Last = item
        outlines.Count = 1
        root.Outlines = outlines
        root.PageMode = pikepdf.Name.UseOutlines
        # Named destinations, new style (name tree) and old style (/Dests).
        target = pikepdf.Array([last.obj, pikepdf.Name.XYZ, 0, 792, 0])
        citation = f"cite.{handle}2021"
        root.Names = pikepdf.Dictionary(
            Dests=pikepdf.Dictionary(Names=pikepdf.Array([string(citation), target]))
        )
        root.Dests = pikepdf.Dictionary({f"/{handle}.home": target})
        root.PageLabels = pikepdf.Dictionary(
            Nums=pikepdf.Array(
                [0, pikepdf.Dictionary(S=pikepdf.Name.D, P=string(f"{name}-"))]
            )
        )
        # Layers: a hidden one holding a byline, a visible one; both named.
        hidden_layer = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.OCG,
                Name=string(f"{name} private notes"),
                Usage=pikepdf.Dictionary(
                    CreatorInfo=pikepdf.Dictionary(
                        Creator=string(name), Subtype=pikepdf.Name.Artwork
                    )
                ),
            )
        )
        visible_layer = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=string(f"Layer of {email}"))
        )
        root.OCProperties = pikepdf.Dictionary(
            OCGs=pikepdf.Array([hidden_layer, visible_layer]),
            D=pikepdf.Dictionary(
                Name=string(f"{name}'s view"),
                Creator=string(name),
                OFF=pikepdf.Array([hidden_layer]),
                Order=pikepdf.Array(
                    [pikepdf.Array([string(f"Layers of {name}"), hidden_layer])]
                ),
            ),
        )
        # The image, with EXIF/XMP in its JPEG data and an XMP stream of its own.
        image = pikepdf.Stream(pdf, jpeg_naming(name, email))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width = image.Height = 8
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        image.Filter = pikepdf.Name.DCTDecode
        image.Metadata = pikepdf.Stream(pdf, _xmp_packet(name, email))
        resources = first.obj.Resources
        resources.XObject = pikepdf.Dictionary(ImLeak=image)
        fonts = resources.get("/Font", pikepdf.Dictionary())
        fonts.FLeak = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
        )
        resources.Font = fonts
        resources.Properties = pikepdf.Dictionary(
            ocHidden=hidden_layer, ocVisible=visible_layer
        )
        extra = (
            # The hidden byline names the author and their homepage: an email
            # in the text, hidden or not, is refused at upload (anonymity.py).
            f"/OC /ocHidden BDC BT /FLeak 9 Tf 60 52 Td ({name} {homepage}) Tj ET EMC\n"
            "/OC /ocVisible BDC 0 0 1 rg 540 20 6 6 re f EMC\n"
            f"/Figure << /Alt (Portrait of {name}) /MCID 0 >> BDC "
            "q 20 0 0 20 560 20 cm /ImLeak Do Q EMC\n"
            f"/Span << /ActualText ({email}) >> BDC EMC\n"
        )
        first.contents_add(pikepdf.Stream(pdf, extra.encode()), prepend=False)
        root.StructTreeRoot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructTreeRoot,
                K=pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem,
                    S=pikepdf.Name.Figure,
                    Alt=string(f"Portrait of {name}"),
                    T=string(name),
                    Pg=first.obj,
                    K=0,
                ),
            )
        )
        root.MarkInfo = pikepdf.Dictionary(Marked=True)

        # Links: mailto:, a homepage, a named destination (both kinds).
        def link(rect: list[int], **entries: object) -> pikepdf.Dictionary:
            return pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=rect,
                    Border=[0, 0, 0],
                    **entries,
                )
            )

        annotations = [
            link(
                [60, 60, 200, 72],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=string(f"mailto:{email}")),
                Contents=string(f"Write to {name}"),
            ),
            link(
                [60, 80, 200, 92],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=string(homepage)),
            ),
            link(
                [60, 100, 200, 112],
                A=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=string(citation)),
            ),
            link([60, 120, 200, 132], Dest=pikepdf.Name(f"/{handle}.home")),
        ]
        note = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[500, 700, 520, 720],
                T=string(name),
                Contents=string(f"Ask {email} about this"),
                RC=string(f"<body><p>Signed, {name}</p></body>"),
                Subj=string(f"Note by {name}"),
                NM=string(f"{handle}-note-1"),
            )
        )
        popup = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Popup,
                Rect=[520, 600, 600, 700],
                Parent=note,
            )
        )
        note.Popup = popup
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Tx,
                T=string(f"{handle}_signature"),
                TU=string(f"Signed by {name}"),
                V=string(email),
                Rect=[300, 20, 400, 34],
                P=first.obj,
            )
        )
        root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
        first.obj.Annots = pikepdf.Array([*annotations, note, popup, field])
        first.obj.Thumb = pikepdf.Stream(pdf, f"thumbnail of {name}".encode())
        pdf.save(path, compress_streams=False)
    return path

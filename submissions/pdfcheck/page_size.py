"""The page size: US Letter is required, anything else is a warning."""

from __future__ import annotations

import pikepdf

from .report import CheckReport, Issue, join_numbers

_LETTER = (612.0, 792.0)
_KNOWN_SIZES = {
    "Letter": (612.0, 792.0),
    "A4": (595.276, 841.89),
    "Legal": (612.0, 1008.0),
    "A3": (841.89, 1190.551),
    "A5": (419.528, 595.276),
}
_SIZE_TOLERANCE = 1.0


def page_box(page: pikepdf.Page) -> tuple[float, float]:
    """Width and height as shown: the crop box, turned by /Rotate."""
    box = [float(v) for v in page.cropbox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if int(page.obj.get("/Rotate", 0)) % 180 == 90:
        width, height = height, width
    return width, height


def size_label(size: tuple[float, float]) -> str:
    """A label such as "Letter 612x792pt" or "A4 595.3x841.9pt"; other sizes
    get the points only."""
    width, height = size

    def number(value: float) -> str:
        return f"{value:.1f}".removesuffix(".0")

    name = next(
        (
            name
            for name, (w, h) in _KNOWN_SIZES.items()
            if sorted((abs(width - w), abs(height - h)))[1] <= _SIZE_TOLERANCE
            or sorted((abs(width - h), abs(height - w)))[1] <= _SIZE_TOLERANCE
        ),
        "",
    )
    return f"{name} {number(width)}x{number(height)}pt".strip()


def _is_letter(size: tuple[float, float]) -> bool:
    return all(
        abs(a - b) <= _SIZE_TOLERANCE
        for a, b in zip(sorted(size), _LETTER, strict=True)
    )


def check_page_size(pdf: pikepdf.Pdf, report: CheckReport) -> None:
    sizes = [page_box(page) for page in pdf.pages]
    report.page_size = size_label(sizes[0])
    odd = [number for number, size in enumerate(sizes, start=1) if not _is_letter(size)]
    if not odd:
        return
    if len(odd) == len(sizes):
        where = f"The pages are {report.page_size}"
    else:
        plural = len(odd) > 1
        where = (
            f"Page{'s' if plural else ''} {join_numbers(odd)} "
            f"{'are' if plural else 'is'} not US Letter"
        )
    report.warnings.append(
        Issue(
            "page_size",
            f"{where}; the required size is US Letter (8.5 x 11 in, 612x792pt). "
            "Please set the paper size to US Letter in your template.",
        )
    )
